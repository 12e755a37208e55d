import { setTimeout as sleep } from 'node:timers/promises';
import { LogbookError } from '@logbook/core';
import { isBusy, toStoreError } from './errors.js';

/**
 * How long one attempt may block the event loop waiting for another process's lock (SQLite's
 * own `busy_timeout`, which sleeps synchronously). Longer waits happen between attempts, on
 * timers, so the process keeps serving requests and timers while a lock is held elsewhere.
 */
export const SYNC_BUSY_TIMEOUT_MS = 5;

/** Longest pause between two attempts; short enough not to lose many turns to a busy writer. */
const MAX_PAUSE_MS = 50;

/** What {@link retryWhileBusy} needs to know about the store. */
export interface BusyRetryOptions {
  /** Total time to keep trying, from the first attempt (the store's `busyTimeoutMs`). */
  readonly deadlineMs: number;
  /** The database file, named in the error. */
  readonly path: string;
}

function pauseBefore(attempt: number, remainingMs: number): number {
  const base = Math.min(MAX_PAUSE_MS, 2 ** attempt);
  // Jitter so that several waiting processes do not retry in lockstep.
  const jittered = base / 2 + Math.random() * (base / 2);
  return Math.max(0, Math.min(jittered, remainingMs));
}

/**
 * Runs one synchronous store operation (one transaction, so an attempt that failed on the lock
 * changed nothing) until it gets past another connection's lock, pausing asynchronously between
 * attempts with exponential back-off; gives up with a retryable `TEMPORARILY_UNAVAILABLE` once
 * `deadlineMs` has passed. Every other driver error becomes a LogbookError at once. This is the
 * one place that retries a locked SQLite database: callers only classify the outcome.
 */
export async function retryWhileBusy<T>(operation: () => T, options: BusyRetryOptions): Promise<T> {
  const started = performance.now();
  for (let attempt = 0; ; attempt++) {
    try {
      return operation();
    } catch (error) {
      if (!isBusy(error)) throw toStoreError(error, options.path);
      const remaining = options.deadlineMs - (performance.now() - started);
      if (remaining <= 0) {
        throw new LogbookError(
          'TEMPORARILY_UNAVAILABLE',
          `[sqlite] ${options.path} is locked by another process; still locked after ${options.deadlineMs} ms (option busyTimeoutMs). The operation did not happen; retry later.`,
          { cause: error },
        );
      }
      await sleep(pauseBefore(attempt, remaining));
    }
  }
}
