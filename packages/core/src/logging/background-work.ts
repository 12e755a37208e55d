import { AsyncLocalStorage } from 'node:async_hooks';

// On globalThis so that every copy of @logbook/core in a process (and the backends) share it.
const KEY = Symbol.for('logbook.backgroundWork');
const holder = globalThis as unknown as Record<symbol, AsyncLocalStorage<true> | undefined>;
const storage: AsyncLocalStorage<true> = (holder[KEY] ??= new AsyncLocalStorage<true>());

/**
 * Runs `work` as background work: nobody awaits it to keep the process alive, so the timers it
 * starts (a transport's retry backoff) must not hold the event loop open. The batching logger's
 * flushes, the spool's probes and its drainer run this way; a process whose script has returned
 * then reaches `beforeExit`, where the exit drain bounds what is left by `exitDrainTimeoutMs`.
 */
export function runInBackground<T>(work: () => T): T {
  return storage.run(true, work);
}

/** True inside {@link runInBackground}: timers started here should be `unref()`'d. */
export function isBackgroundWork(): boolean {
  return storage.getStore() === true;
}
