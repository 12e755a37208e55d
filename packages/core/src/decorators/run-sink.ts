import type { RunStatus } from '../model/enums.js';
import type { Tags } from '../model/common.js';
import type { ErrorHandler } from '../contracts/logger.js';

/**
 * The part of `ExperimentTracker` the decorators use. Kept this narrow so the decorators depend on
 * what they call, and any tracker with these methods (the real one in every logbook) can serve.
 */
export interface RunSink {
  getOrCreateExperiment(name: string): Promise<string>;
  startRun(experimentId: string, runName?: string, options?: { readonly parentRunId?: string; readonly tags?: Tags }): Promise<string>;
  endRun(runId: string, status?: RunStatus): Promise<void>;
  logParameters(params: Record<string, unknown>, runId: string): void;
  logMetrics(metrics: Record<string, number>, step: number | undefined, runId: string, timestamp?: number): void;
  setTags(tags: Record<string, string>, runId: string): void;
}

/**
 * What the decorators need of a logbook. Every `Logbook` from `createLogbook()` is one; so is any
 * object with a {@link RunSink} as `tracker`.
 */
export interface LogbookLike {
  readonly tracker: RunSink;
  /** `experimentAutoLogging: false` turns off the automatic logging of `@Param`s and `@LogMetric`s. */
  readonly config?: { readonly experimentAutoLogging?: boolean };
  /**
   * Where the decorators' failures go: the logbook's error handler, handed in (every `Logbook`
   * has the one its container holds as `ERROR_HANDLER`). Without one, a process warning.
   */
  readonly onError?: ErrorHandler;
}

/**
 * A logbook, or a function returning one (called at each tracked call, not at decoration time:
 * classes are usually decorated before any logbook exists).
 */
export type LogbookSource = LogbookLike | (() => LogbookLike | Promise<LogbookLike>);

/** True unless the logbook's config turns automatic logging off. */
export function autoLogging(logbook: LogbookLike): boolean {
  return logbook.config?.experimentAutoLogging !== false;
}

/** Calls a {@link LogbookSource} that may be a factory. */
export async function fromSource(source: LogbookSource): Promise<LogbookLike> {
  return typeof source === 'function' ? await source() : source;
}

/** What a decorator failure is about, as the error handler receives it. */
export interface DecoratorErrorContext {
  readonly operation: string;
  readonly runId?: string;
}

/**
 * Hands a failure to the logbook's error handler; never throws. Without a logbook, or when it has
 * no handler, the failure becomes a Node process warning so it is not lost.
 */
export function reportTo(logbook: LogbookLike | undefined, error: unknown, context: DecoratorErrorContext): void {
  try {
    const handler = logbook?.onError;
    if (handler !== undefined) {
      handler(error, context);
      return;
    }
  } catch {
    // A failing handler must not take the caller down: fall through to the warning.
  }
  const message = error instanceof Error ? error.message : String(error);
  process.emitWarning(`${message} (${context.operation})`, { type: 'LogbookWarning' });
}
