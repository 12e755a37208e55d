import type { LoggingConfig } from '../config/types.js';
import { DEFAULT_CONFIG } from '../config/defaults.js';
import type { ErrorHandler, OperationalLogger } from '../contracts/logger.js';
import type { TrackingStore } from '../contracts/tracking-store.js';
import { LogbookError } from '../errors.js';
import { silentLogger } from './operational-logger.js';
import { chunkEntries } from './chunk-entries.js';
import { ChunkWriter } from './chunk-writer.js';
import type { Entry } from './entries.js';
import { createLoggingErrorHandler, report } from './error-handler.js';
import { registerExitDrain } from './exit-hooks.js';
import type { ExitProcess } from './exit-hooks.js';
import { StatsCounters } from './logger-stats.js';
import type { BatchingLoggerStats } from './logger-stats.js';
import type { RetryableHandoff } from './handoff.js';
import { PendingChunk } from './pending-chunk.js';
import { RunBuffer } from './run-buffer.js';
import { EntryValidator } from './validate-entries.js';
import type { ValidatedEntries } from './validate-entries.js';

/** Options of {@link BatchingLogger}: the `logging` config section plus collaborators. */
export interface BatchingLoggerOptions extends Partial<LoggingConfig> {
  /** Where failures go. @default logs at error level through `logger` */
  readonly onError?: ErrorHandler;
  /** @default silent */
  readonly logger?: OperationalLogger;
  /**
   * Where entries go that the store could not write for now (the spool). Without one they are
   * reported as failed. The store's transport owns retries; the logger never retries on top.
   */
  readonly handoff?: RetryableHandoff;
  /**
   * Longest wait for the exit drain (beforeExit, SIGINT, SIGTERM), milliseconds. What is not
   * delivered by then is handed to the spool, or reported as failed with its count.
   * @default 10000
   */
  readonly exitDrainTimeoutMs?: number;
  /** The process whose exit and signals trigger the drain. @default process */
  readonly process?: ExitProcess;
  /** Timestamp of points logged without one. @default Date.now */
  readonly now?: () => number;
}

/**
 * Buffers metrics, params and tags per run and writes them with log-batch, in order, in chunks
 * within MLflow's limits. Logging calls only buffer: they never await, never throw; invalid
 * points are rejected at the call and reported to the error handler as a LogbookError naming the
 * field. A run's buffer is flushed when it holds `maxBatchSize` entries, and every buffer when the
 * oldest is `flushIntervalMs` old. At most `maxBufferedPoints` entries are held; beyond that new
 * entries are dropped and reported. `flush()` resolves when what was logged before it is written,
 * spooled or reported lost; `close()` drains and is idempotent. Each chunk is written once: the
 * store's transport owns retries, and a retryable failure goes to `handoff` (the spool) or is
 * reported. On exit the drain is bounded by `exitDrainTimeoutMs`: what is left then is handed on
 * or reported with its count, never dropped silently.
 *
 * @example
 * ```ts
 * const metrics = new BatchingLogger(store, { flushIntervalMs: 500 });
 * for (let step = 0; step < 1e5; step++) metrics.logMetric(runId, 'loss', loss(step), step);
 * await metrics.close();
 * ```
 */
export class BatchingLogger {
  private readonly runs = new Map<string, RunBuffer>();
  private readonly validator = new EntryValidator();
  private readonly counters = new StatsCounters();
  private readonly writer: ChunkWriter;
  private readonly config: LoggingConfig;
  private readonly onError: ErrorHandler;
  private readonly now: () => number;
  private readonly unregisterExit: () => void;
  private readonly pending = new Set<PendingChunk>();
  private abandoned = deferred();
  private readonly exitDrainTimeoutMs: number;
  private timer: NodeJS.Timeout | undefined;
  private closing: Promise<void> | undefined;

  constructor(store: TrackingStore, options: BatchingLoggerOptions = {}) {
    const logger = options.logger ?? silentLogger;
    this.config = { ...DEFAULT_CONFIG.logging, ...definedOnly(options) };
    this.onError = options.onError ?? createLoggingErrorHandler(logger);
    this.now = options.now ?? Date.now;
    this.writer = new ChunkWriter(store, this.counters, this.onError, logger, options.handoff);
    this.exitDrainTimeoutMs = options.exitDrainTimeoutMs ?? 10_000;
    this.unregisterExit = this.config.drainOnExit ? registerExitDrain(options.process ?? process, { drain: () => this.flush(), abandon: () => this.abandon() }, this.exitDrainTimeoutMs) : () => {};
  }

  /** Buffers one metric point. `step` defaults to 0, `timestamp` to now. */
  logMetric(runId: string, key: string, value: number, step?: number, timestamp?: number): void {
    try {
      const result = this.validator.metric(runId, key, value, step ?? 0, timestamp ?? this.now());
      if (result instanceof LogbookError) this.rejected(runId, [result]);
      else this.enqueue(runId, [result]);
    } catch (error) {
      report(this.onError, error, { operation: 'log', runId });
    }
  }

  /** Buffers several metrics sharing a step and timestamp. */
  logMetrics(runId: string, metrics: Readonly<Record<string, number>>, step?: number, timestamp?: number): void {
    this.guard(runId, () => this.validator.metrics(runId, metrics, step ?? 0, timestamp ?? this.now()));
  }

  /** Buffers params (write-once per run: a different value later is reported, not thrown). */
  logParams(runId: string, params: Readonly<Record<string, string>>): void {
    this.guard(runId, () => this.validator.strings(runId, 'param', params));
  }

  /** Buffers tags (upserts). */
  setTags(runId: string, tags: Readonly<Record<string, string>>): void {
    this.guard(runId, () => this.validator.strings(runId, 'tag', tags));
  }

  /** Writes what is buffered for `runId` (or every run) and resolves when it is durable or reported. */
  flush(runId?: string): Promise<void> {
    if (runId !== undefined) return this.flushRun(runId);
    return Promise.all([...this.runs.keys()].map((id) => this.flushRun(id))).then(() => undefined);
  }

  /** Stops timers and exit hooks, then drains every buffer. Later calls return the same promise. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      this.unregisterExit();
      await this.flush();
      clearTimeout(this.timer);
      this.timer = undefined;
    })();
    return this.closing;
  }

  /** Same as `close()` (drains every buffer): tsyringe's `Disposable`, for containers that dispose what they hold. */
  dispose(): Promise<void> {
    return this.close();
  }

  /** Counters since creation. */
  stats(): BatchingLoggerStats {
    return this.counters.snapshot();
  }

  /**
   * Gives up waiting: every entry not yet written (buffered, queued or in flight) is handed to the
   * spool, or reported as failed with its count; pending `flush()` calls resolve. The exit drain
   * calls it when `exitDrainTimeoutMs` is up. Writes still in flight settle nothing twice.
   */
  async abandon(): Promise<void> {
    for (const [runId, buffer] of this.runs) {
      const entries = buffer.take();
      if (entries.length > 0) for (const c of chunkEntries(entries, this.config.maxBatchSize)) this.pending.add(new PendingChunk(runId, c));
    }
    const cause = new LogbookError('DEADLINE_EXCEEDED', `[core] The exit drain ran out of time (exitDrainTimeoutMs=${this.exitDrainTimeoutMs}) before the store took these entries.`, {
      field: 'exitDrainTimeoutMs',
    });
    const chunks = [...this.pending];
    this.pending.clear();
    for (const chunk of chunks) await this.writer.abandon(chunk, cause);
    const done = this.abandoned;
    this.abandoned = deferred();
    done.resolve();
    this.runs.clear();
  }

  private guard(runId: string, validate: () => ValidatedEntries): void {
    try {
      const { entries, errors } = validate();
      if (errors.length > 0) this.rejected(runId, errors);
      if (entries.length > 0) this.enqueue(runId, entries);
    } catch (error) {
      report(this.onError, error, { operation: 'log', runId });
    }
  }

  private rejected(runId: string, errors: readonly LogbookError[]): void {
    this.counters.rejected += errors.length;
    for (const e of errors) report(this.onError, e, { operation: 'log', runId });
  }

  private enqueue(runId: string, entries: readonly Entry[]): void {
    const limit = this.config.maxBufferedPoints;
    if (this.closing !== undefined || this.counters.buffered + entries.length > limit) {
      this.counters.dropped += entries.length;
      const why =
        this.closing !== undefined
          ? new LogbookError('INVALID_STATE', `[core] Dropped ${entries.length} entries of run ${runId}: the logger is closed.`)
          : new LogbookError(
              'RESOURCE_EXHAUSTED',
              `[core] Dropped ${entries.length} entries of run ${runId}: ${this.counters.buffered} entries are waiting, the limit is maxBufferedPoints=${limit}.`,
              { field: 'logging.maxBufferedPoints' },
            );
      report(this.onError, why, { operation: 'log', runId });
      return;
    }
    let buffer = this.runs.get(runId);
    if (buffer === undefined) this.runs.set(runId, (buffer = new RunBuffer()));
    buffer.push(entries);
    this.counters.buffered += entries.length;
    if (buffer.size >= this.config.maxBatchSize) void this.flushRun(runId);
    else this.timer ??= setTimeout(() => this.onTimer(), this.config.flushIntervalMs).unref();
  }

  private onTimer(): void {
    this.timer = undefined;
    void this.flush();
  }

  private flushRun(runId: string): Promise<void> {
    const buffer = this.runs.get(runId);
    if (buffer === undefined) return Promise.resolve();
    const entries = buffer.take();
    if (entries.length > 0) {
      const chunks = chunkEntries(entries, this.config.maxBatchSize).map((c) => new PendingChunk(runId, c));
      for (const c of chunks) this.pending.add(c);
      const work = buffer.chain.then(async () => {
        for (const chunk of chunks) {
          await this.writer.write(chunk);
          this.pending.delete(chunk);
        }
      });
      // An abandoned exit drain releases whoever waits on this run's flushes.
      const chain = Promise.race([work, this.abandoned.promise]);
      buffer.chain = chain;
      // Forget idle runs so a long process logging to many runs does not grow without bound.
      void chain.then(() => {
        if (buffer.chain === chain && buffer.size === 0 && this.runs.get(runId) === buffer) this.runs.delete(runId);
      });
    }
    return buffer.chain;
  }
}

function deferred(): { readonly promise: Promise<void>; resolve(): void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

function definedOnly(options: BatchingLoggerOptions): Partial<LoggingConfig> {
  const out: Record<string, unknown> = {};
  for (const key of ['maxBatchSize', 'flushIntervalMs', 'maxBufferedPoints', 'drainOnExit'] as const) {
    if (options[key] !== undefined) out[key] = options[key];
  }
  return out as Partial<LoggingConfig>;
}
