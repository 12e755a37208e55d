import type { ErrorHandler, OperationalLogger } from '../contracts/logger.js';
import type { TrackingStore } from '../contracts/tracking-store.js';
import { LogbookError, isLogbookError } from '../errors.js';
import type { ErrorCode } from '../errors.js';
import { LifecycleStage } from '../model/enums.js';
import { validateBatchSize } from '../validation/batch.js';
import { describeEntry, entryField, entryForField, toBatch } from './entries.js';
import type { Entry } from './entries.js';
import { report } from './error-handler.js';
import type { StatsCounters } from './logger-stats.js';

/**
 * Codes that retrying cannot fix: the request itself is wrong. Any other failure (network,
 * 5xx, 429, a locked database…) is retried with backoff.
 */
const PERMANENT: readonly ErrorCode[] = [
  'INVALID_PARAMETER_VALUE', 'BAD_REQUEST', 'RESOURCE_DOES_NOT_EXIST', 'RESOURCE_ALREADY_EXISTS',
  'PERMISSION_DENIED', 'UNAUTHENTICATED', 'INVALID_STATE', 'ENDPOINT_NOT_FOUND', 'NOT_IMPLEMENTED',
  'PAYLOAD_TOO_LARGE', 'INVALID_CONFIGURATION',
];

/** True when retrying the same request cannot succeed. */
export function isPermanentError(error: unknown): boolean {
  return isLogbookError(error, ...PERMANENT);
}

/** How a {@link ChunkWriter} retries. */
export interface RetryPolicy {
  readonly maxRetries: number;
  /** Backoff before retry n is base·2^(n-1), capped at `maxDelayMs`. */
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

/**
 * Writes one chunk of a run's entries with log-batch. Transient failures are retried with
 * exponential backoff; a permanent failure is narrowed down to the entries that cause it (by the
 * error's field when it names one, else by bisection) so only those are reported and every other
 * entry is still written. Re-sending is safe: metrics dedupe on (key, value, timestamp, step),
 * params accept the same value again and tags are upserted.
 */
export class ChunkWriter {
  constructor(
    private readonly store: TrackingStore,
    private readonly retry: RetryPolicy,
    private readonly stats: StatsCounters,
    private readonly onError: ErrorHandler,
    private readonly logger: OperationalLogger,
  ) {}

  /** Never rejects: failures end up in the error handler and the `failed` counter. */
  async write(runId: string, entries: readonly Entry[]): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        const batch = toBatch(entries);
        validateBatchSize(batch);
        await this.store.logBatch(runId, batch);
        this.settle(entries.length, 'flushed');
        this.logger.debug({ runId, entries: entries.length }, 'log-batch written');
        return;
      } catch (error) {
        if (isPermanentError(error)) return this.isolate(runId, entries, error);
        if (attempt >= this.retry.maxRetries) return this.giveUp(runId, entries, error, attempt + 1);
        this.stats.retries++;
        const delay = Math.min(this.retry.baseDelayMs * 2 ** attempt, this.retry.maxDelayMs);
        this.logger.warn({ runId, entries: entries.length, attempt: attempt + 1, delayMs: delay, err: error }, 'log-batch failed; retrying');
        await new Promise<void>((resolve) => setTimeout(resolve, delay).unref());
      }
    }
  }

  private async isolate(runId: string, entries: readonly Entry[], error: unknown): Promise<void> {
    if (entries.length === 1) return this.reject(runId, entries[0]!, error);
    // The run itself is gone: no entry of this chunk can be written.
    if (isLogbookError(error, 'RESOURCE_DOES_NOT_EXIST', 'PERMISSION_DENIED', 'UNAUTHENTICATED')) {
      return this.giveUp(runId, entries, error, 1);
    }
    const index = entryForField(entries, isLogbookError(error) ? error.field : undefined);
    if (index !== undefined) {
      this.reject(runId, entries[index]!, error);
      return this.write(runId, entries.filter((_, i) => i !== index));
    }
    // A deleted run refuses everything with INVALID_PARAMETER_VALUE: one look at it saves
    // bisecting the whole chunk down to single entries.
    if (await this.runIsGone(runId)) return this.giveUp(runId, entries, error, 1);
    const half = Math.ceil(entries.length / 2);
    await this.write(runId, entries.slice(0, half));
    await this.write(runId, entries.slice(half));
  }

  private async runIsGone(runId: string): Promise<boolean> {
    try {
      return (await this.store.getRun(runId)).info.lifecycleStage === LifecycleStage.DELETED;
    } catch (error) {
      return isLogbookError(error, 'RESOURCE_DOES_NOT_EXIST');
    }
  }

  private reject(runId: string, entry: Entry, cause: unknown): void {
    this.settle(1, 'failed');
    const code = isLogbookError(cause) ? cause.code : 'INVALID_PARAMETER_VALUE';
    const reason = cause instanceof Error ? cause.message : String(cause);
    const error = new LogbookError(code, `[core] The store refused ${describeEntry(entry)} of run ${runId}: ${reason}`, {
      cause,
      field: entryField(entry),
    });
    report(this.onError, error, { operation: 'logBatch', runId });
  }

  private giveUp(runId: string, entries: readonly Entry[], cause: unknown, attempts: number): void {
    this.settle(entries.length, 'failed');
    const code = isLogbookError(cause) ? cause.code : 'TEMPORARILY_UNAVAILABLE';
    const reason = cause instanceof Error ? cause.message : String(cause);
    const error = new LogbookError(code, `[core] Lost ${entries.length} entries of run ${runId} after ${attempts} attempt(s): ${reason}`, { cause });
    report(this.onError, error, { operation: 'logBatch', runId });
  }

  private settle(count: number, outcome: 'flushed' | 'failed'): void {
    this.stats.buffered -= count;
    this.stats[outcome] += count;
  }
}
