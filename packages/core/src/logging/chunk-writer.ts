import type { ErrorHandler, OperationalLogger } from '../contracts/logger.js';
import type { TrackingStore } from '../contracts/tracking-store.js';
import { LogbookError, isLogbookError } from '../errors.js';
import { LifecycleStage } from '../model/enums.js';
import { validateBatchSize } from '../validation/batch.js';
import { runInBackground } from './background-work.js';
import { describeEntry, entryField, entryForField, toBatch } from './entries.js';
import type { Entry } from './entries.js';
import { report } from './error-handler.js';
import type { RetryableHandoff } from './handoff.js';
import type { StatsCounters } from './logger-stats.js';
import { classifyFailure } from './outcome.js';
import type { PendingChunk } from './pending-chunk.js';

export { isPermanentError } from './outcome.js';

/**
 * Writes one chunk of a run's entries with log-batch, once, and classifies the outcome; it never
 * retries (the store's transport owns backoff and the deadline):
 * - done: the entries are counted `flushed`;
 * - permanent (the request is wrong): narrowed down to the entries that cause it (by the error's
 *   field when it names one, else by bisection) so only those are reported and every other entry
 *   is still written;
 * - retryable (still failing after the transport's deadline): handed on to the spool when there
 *   is one (counted `spooled`), else reported as failed with their count and cause.
 * Re-sending is safe: metrics dedupe on (key, value, timestamp, step), params accept the same
 * value again and tags are upserted.
 */
export class ChunkWriter {
  constructor(
    private readonly store: TrackingStore,
    private readonly stats: StatsCounters,
    private readonly onError: ErrorHandler,
    private readonly logger: OperationalLogger,
    private readonly handoff?: RetryableHandoff,
  ) {}

  /** Writes what of `chunk` is still open. Never rejects: failures end up in the error handler. */
  write(chunk: PendingChunk): Promise<void> {
    return this.writeEntries(chunk, chunk.unsettled);
  }

  /** Hands what of `chunk` is still open straight on (the exit drain's take), or reports it lost. */
  async abandon(chunk: PendingChunk, cause: unknown): Promise<void> {
    const entries = chunk.takeUnsettled();
    if (entries.length > 0) await this.handOn(chunk.runId, entries, cause);
  }

  private async writeEntries(chunk: PendingChunk, entries: readonly Entry[]): Promise<void> {
    if (entries.length === 0) return;
    const runId = chunk.runId;
    if (this.handoff?.takesNow?.(runId) === true) return this.spoolEntries(chunk, entries);
    try {
      const batch = toBatch(entries);
      validateBatchSize(batch);
      // Background work: the transport's backoff timers must not keep a finished script alive.
      await runInBackground(() => this.store.logBatch(runId, batch));
      this.settle(chunk, entries, 'flushed');
      this.logger.debug({ runId, entries: entries.length }, 'log-batch written');
    } catch (error) {
      if (classifyFailure(error) === 'permanent') return this.isolate(chunk, entries, error);
      if (this.handoff !== undefined) return this.spoolEntries(chunk, entries, error);
      this.lost(
        runId,
        entries.filter((e) => chunk.settle([e]) === 1),
        error,
        'no spool is configured',
      );
    }
  }

  /**
   * Entries of a run whose writes go to the spool now (or that the server could not take): the
   * spool is the store. A permanent refusal (a param changed, a bad value) is narrowed down to its
   * entries as for the server; any other failure is reported with the count.
   */
  private async spoolEntries(chunk: PendingChunk, entries: readonly Entry[], cause?: unknown): Promise<void> {
    try {
      await this.handoff!.accept(chunk.runId, toBatch(entries), cause);
      this.record(chunk.settle(entries), 'spooled');
    } catch (error) {
      if (classifyFailure(error) === 'permanent') return this.isolate(chunk, entries, error);
      const open = entries.filter((e) => chunk.settle([e]) === 1);
      this.lost(chunk.runId, open, error, 'the spool could not take them');
    }
  }

  /** Retryable work: to the spool when there is one, else reported with its count and cause. */
  private async handOn(runId: string, entries: readonly Entry[], cause: unknown): Promise<void> {
    if (entries.length === 0) return;
    let reason = cause;
    if (this.handoff !== undefined) {
      try {
        await this.handoff.accept(runId, toBatch(entries), cause);
        this.record(entries.length, 'spooled');
        this.logger.debug({ runId, entries: entries.length }, 'log-batch spooled');
        return;
      } catch (error) {
        reason = error;
      }
    }
    this.lost(runId, entries, reason, this.handoff === undefined ? 'no spool is configured' : 'the spool could not take them');
  }

  private lost(runId: string, entries: readonly Entry[], reason: unknown, where: string): void {
    if (entries.length === 0) return;
    this.record(entries.length, 'failed');
    const code = isLogbookError(reason) ? reason.code : 'TEMPORARILY_UNAVAILABLE';
    const why = reason instanceof Error ? reason.message : String(reason);
    report(this.onError, new LogbookError(code, `[core] Lost ${entries.length} entries of run ${runId} (${where}): ${why}`, { cause: reason }), {
      operation: 'logBatch',
      runId,
    });
  }

  private async isolate(chunk: PendingChunk, entries: readonly Entry[], error: unknown): Promise<void> {
    const runId = chunk.runId;
    if (entries.length === 1) return this.reject(chunk, entries[0]!, error);
    // The run itself is gone: no entry of this chunk can be written.
    if (isLogbookError(error, 'RESOURCE_DOES_NOT_EXIST', 'PERMISSION_DENIED', 'UNAUTHENTICATED')) {
      return this.refuseAll(chunk, entries, error);
    }
    const index = entryForField(entries, isLogbookError(error) ? error.field : undefined);
    if (index !== undefined) {
      this.reject(chunk, entries[index]!, error);
      return this.writeEntries(
        chunk,
        entries.filter((_, i) => i !== index),
      );
    }
    // A deleted run refuses everything with INVALID_PARAMETER_VALUE: one look at it saves
    // bisecting the whole chunk down to single entries.
    if (await this.runIsGone(runId)) return this.refuseAll(chunk, entries, error);
    const half = Math.ceil(entries.length / 2);
    await this.writeEntries(chunk, entries.slice(0, half));
    await this.writeEntries(chunk, entries.slice(half));
  }

  private async runIsGone(runId: string): Promise<boolean> {
    try {
      return (await runInBackground(() => this.store.getRun(runId))).info.lifecycleStage === LifecycleStage.DELETED;
    } catch (error) {
      return isLogbookError(error, 'RESOURCE_DOES_NOT_EXIST');
    }
  }

  private reject(chunk: PendingChunk, entry: Entry, cause: unknown): void {
    if (chunk.settle([entry]) === 0) return;
    this.record(1, 'failed');
    const code = isLogbookError(cause) ? cause.code : 'INVALID_PARAMETER_VALUE';
    const reason = cause instanceof Error ? cause.message : String(cause);
    const error = new LogbookError(code, `[core] The store refused ${describeEntry(entry)} of run ${chunk.runId}: ${reason}`, {
      cause,
      field: entryField(entry),
    });
    report(this.onError, error, { operation: 'logBatch', runId: chunk.runId });
  }

  private refuseAll(chunk: PendingChunk, entries: readonly Entry[], cause: unknown): void {
    const count = chunk.settle(entries);
    if (count === 0) return;
    this.record(count, 'failed');
    const code = isLogbookError(cause) ? cause.code : 'INVALID_PARAMETER_VALUE';
    const reason = cause instanceof Error ? cause.message : String(cause);
    const error = new LogbookError(code, `[core] Lost ${count} entries of run ${chunk.runId}: the store refused them: ${reason}`, { cause });
    report(this.onError, error, { operation: 'logBatch', runId: chunk.runId });
  }

  private settle(chunk: PendingChunk, entries: readonly Entry[], outcome: 'flushed'): void {
    this.record(chunk.settle(entries), outcome);
  }

  private record(count: number, outcome: 'flushed' | 'failed' | 'spooled'): void {
    this.stats.buffered -= count;
    this.stats[outcome] += count;
  }
}
