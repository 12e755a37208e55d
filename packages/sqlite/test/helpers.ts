import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isLogbookError } from '@logbook/core';
import type { ErrorCode } from '@logbook/core';

/** A fresh temp folder and its remover. */
export function tempDir(prefix = 'logbook-sqlite-'): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
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
