import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import { isLogbookError } from '@logbook/core';
import type { ErrorCode } from '@logbook/core';

/** A fresh temp folder and its remover. */
export function tempDir(prefix = 'logbook-sqlite-'): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A fresh temp folder per test (removed after it); call in a `describe`, read inside tests. */
export function useTempDir(prefix?: string): () => string {
  let current: { dir: string; remove: () => void } | undefined;
  beforeEach(() => {
    current = tempDir(prefix);
  });
  afterEach(() => current?.remove());
  return () => current!.dir;
}

/** The LogbookError code a promise rejects with, or 'ok'. */
export async function errorCode(promise: Promise<unknown> | (() => unknown)): Promise<ErrorCode | 'ok'> {
  try {
    await (typeof promise === 'function' ? promise() : promise);
    return 'ok';
  } catch (error) {
    if (isLogbookError(error)) return error.code;
    throw error;
  }
}

/**
 * Records the longest gap between ticks of a 5 ms interval: how long the event loop was blocked.
 * A synchronous wait for a lock shows up as a gap as long as the wait.
 */
export function watchEventLoop(): { stop(): number } {
  let last = performance.now();
  let longest = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
  }, 5);
  return {
    stop() {
      clearInterval(timer);
      return Math.max(longest, performance.now() - last);
    },
  };
}
