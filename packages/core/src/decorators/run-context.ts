import { AsyncLocalStorage } from 'node:async_hooks';
import type { LogbookLike } from './run-sink.js';

/**
 * What the decorators know about the run in force: its id and, when a decorator started it, the
 * logbook it was started in (so nested runs and metrics land in the same store).
 */
export interface RunFrame {
  readonly runId: string;
  readonly logbook?: LogbookLike;
}

const storage = new AsyncLocalStorage<RunFrame>();

/**
 * The id of the run the current call is inside: the innermost `@Track`'ed call or {@link withRun}
 * callback, across `await`s and callbacks of that call; `undefined` outside any run.
 */
export function currentRunId(): string | undefined {
  return storage.getStore()?.runId;
}

/** The whole frame of the run in force, for the decorators themselves. @internal */
export function currentRunFrame(): RunFrame | undefined {
  return storage.getStore();
}

/**
 * Runs `fn` with `runId` as the current run, so `@LogMetric` methods and nested `@Track`'ed
 * methods called from it (synchronously or after `await`s) log to that run. Use it for a run
 * started by hand with `tracker.startRun`. Pass `logbook` when the run does not live in the default
 * logbook; without it, metrics are logged through `getDefaultLogbook()`.
 *
 * @returns what `fn` returns.
 * @example
 * ```ts
 * const runId = await lb.tracker.startRun(experimentId);
 * await withRun(runId, () => model.fit(data), { logbook: lb });
 * await lb.tracker.endRun(runId);
 * ```
 */
export function withRun<T>(runId: string, fn: () => T, options: { readonly logbook?: LogbookLike } = {}): T {
  const frame: RunFrame = options.logbook === undefined ? { runId } : { runId, logbook: options.logbook };
  return storage.run(frame, fn);
}

/** Enters a frame built by `@Track`. @internal */
export function runInFrame<T>(frame: RunFrame, fn: () => T): T {
  return storage.run(frame, fn);
}
