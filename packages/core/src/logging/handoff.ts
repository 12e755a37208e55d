import type { LogBatch } from '../model/run.js';

/**
 * Where the batching logger hands a batch that the store could not write for now (a retryable
 * failure after the store's transport retried it until its deadline): the spool. Without one,
 * such entries are reported as failed through the error handler.
 */
export interface RetryableHandoff {
  /**
   * Makes `batch` of `runId` durable elsewhere, to be delivered later. Resolves when it is;
   * rejects when it could not take it (the entries are then reported as failed).
   */
  accept(runId: string, batch: LogBatch, cause: unknown): Promise<void>;
  /**
   * True when writes of `runId` go to the handoff without trying the store first (the spool's
   * circuit breaker is open, or the run already lives in the spool: its order is kept there).
   */
  takesNow?(runId: string): boolean;
}
