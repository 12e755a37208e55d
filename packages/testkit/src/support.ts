import { randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import { afterAll, beforeAll, expect } from 'vitest';
import { isLogbookError } from '@logbook/core';
import type { ErrorCode, Page } from '@logbook/core';
import type { StoreFactory, StoreFixture } from './fixture.js';

/** A name no other test (or earlier run against the same server) has used. */
export function uniqueName(prefix: string): string {
  return `lbk-${prefix}-${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
}

/** Awaits `promise` and asserts it rejects with a LogbookError of `code`; returns the error. */
export async function expectCode(promise: Promise<unknown>, code: ErrorCode): Promise<Error> {
  let caught: unknown;
  try {
    await promise;
  } catch (error) {
    caught = error;
  }
  expect(caught, `expected a LogbookError ${code}, but the call succeeded`).toBeDefined();
  if (!isLogbookError(caught, code)) {
    const got = isLogbookError(caught) ? `LogbookError ${caught.code}: ${caught.message}` : String(caught);
    expect.fail(`expected a LogbookError ${code}, got ${got}`);
  }
  return caught;
}

/** Follows `nextPageToken` until the last page; fails past `maxPages` (a token that never ends). */
export async function collectPages<T>(fetchPage: (pageToken: string | undefined) => Promise<Page<T>>, maxPages = 100): Promise<{ items: T[]; pages: number }> {
  const items: T[] = [];
  let token: string | undefined;
  for (let pages = 1; pages <= maxPages; pages++) {
    const page = await fetchPage(token);
    items.push(...page.items);
    if (page.nextPageToken === undefined || page.nextPageToken === '') return { items, pages };
    token = page.nextPageToken;
  }
  throw new Error(`pagination did not end within ${maxPages} pages`);
}

/** Reads a stream to the end. */
export async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}

/**
 * Registers `beforeAll`/`afterAll` that create the fixture once and dispose of it once, and
 * returns an accessor for tests (which fails clearly if the factory threw).
 */
export function useFixture<F extends StoreFixture<unknown>>(factory: StoreFactory<F>): () => F {
  let fixture: F | undefined;
  beforeAll(async () => {
    fixture = await factory();
  });
  afterAll(async () => {
    await fixture?.cleanup?.();
  });
  return () => {
    if (fixture === undefined) throw new Error('conformance fixture not created: the factory failed');
    return fixture;
  };
}

/** 32 lowercase hex characters: the shape of an MLflow run id nobody created. */
export function unknownRunId(): string {
  return randomBytes(16).toString('hex');
}
