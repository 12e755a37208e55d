import type { Backend } from '../contracts/backend.js';
import type { ErrorHandler, OperationalLogger } from '../contracts/logger.js';
import { LogbookError } from '../errors.js';
import { report } from '../logging/error-handler.js';
import type { RetryableHandoff } from '../logging/handoff.js';
import type { LogBatch } from '../model/run.js';
import { isNetworkError } from '../network/network-codes.js';
import type { SyncReport, SyncSource, SyncStatus, SyncTarget } from '../sync/types.js';
import { CircuitBreaker } from './circuit-breaker.js';
import { Drainer } from './drainer.js';
import type { SpoolStats } from './spool-stats.js';
import { SpoolingArtifactStore } from './spooling-artifact-store.js';
import { SpoolingRegistryStore } from './spooling-registry-store.js';
import { SpoolingTrackingStore } from './spooling-tracking-store.js';

/** The spool database: its stores and change feed. */
export type LocalSpool = Backend & { readonly syncSource: SyncSource };

/** Options of {@link Spool}. */
export interface SpoolOptions {
  /** The MLflow server's stores. */
  readonly primary: Backend;
  /** Opens the spool database's stores (`syncSource` is its change feed); called once, on first use. */
  readonly openLocal: () => Promise<LocalSpool>;
  /** True when the spool file exists already (an earlier process may have left a backlog). */
  readonly exists: boolean;
  /** Id of the server as a sync target (its normalized tracking URI). */
  readonly targetId: string;
  /** Shown in messages: the spool database's path. */
  readonly path: string;
  /** The sync engine (`syncLogbook`). */
  readonly sync: (source: SyncSource, target: SyncTarget) => Promise<SyncReport>;
  readonly logger: OperationalLogger;
  readonly onError: ErrorHandler;
  /** @default 1000 */
  readonly probeIntervalMs?: number;
  /** @default 15000 */
  readonly maxProbeIntervalMs?: number;
  /** @default 1000 */
  readonly drainDelayMs?: number;
}

/**
 * MLflow down never stops training: the logbook's tracking store routes writes to a local spool
 * database while the server cannot be reached (see {@link SpoolingTrackingStore}), the batching
 * logger hands it what the server could not take, a circuit breaker probes the server, and a
 * background drainer pushes the spool into it with the sync engine when it answers again. What is
 * left at exit stays in the spool file: the next process that opens it drains it, or `logbook sync`.
 */
export class Spool implements RetryableHandoff {
  readonly tracking: SpoolingTrackingStore;
  readonly artifacts: SpoolingArtifactStore;
  readonly registry: SpoolingRegistryStore;
  private readonly breaker: CircuitBreaker;
  private readonly drainer: Drainer;
  private counters = { writes: 0, pendingWrites: 0, drains: 0, drainedPoints: 0 };
  private lastDrainAt: number | undefined;
  private lastError: string | undefined;
  private failedDrains = 0;
  private closing: Promise<void> | undefined;
  private opened: Promise<LocalSpool> | undefined;

  constructor(private readonly options: SpoolOptions) {
    const { primary, logger } = options;
    this.breaker = new CircuitBreaker({
      probe: () => primary.tracking.searchExperiments({ maxResults: 1 }),
      onOpen: (cause) => this.tookOver(cause),
      onClose: () => {
        logger.info({ target: options.targetId }, 'spool: the MLflow server answers again; draining the spool into it');
        void this.drainer.drain();
      },
      logger,
      ...(options.probeIntervalMs === undefined ? {} : { probeIntervalMs: options.probeIntervalMs }),
      ...(options.maxProbeIntervalMs === undefined ? {} : { maxProbeIntervalMs: options.maxProbeIntervalMs }),
    });
    this.drainer = new Drainer({
      sync: async () => options.sync((await this.local()).syncSource, this.target),
      reachable: () => !this.breaker.isOpen,
      onFailure: (error) => this.drainFailed(error),
      onDrained: (result, clean) => this.drained(result, clean),
      logger,
      ...(options.drainDelayMs === undefined ? {} : { delayMs: options.drainDelayMs }),
    });
    const spooled = (): void => {
      this.counters.writes++;
      this.counters.pendingWrites++;
      this.drainer.noteWrite();
    };
    this.tracking = new SpoolingTrackingStore({
      primary: primary.tracking,
      open: async () => {
        const local = await this.local();
        return { tracking: local.tracking, source: local.syncSource };
      },
      targetId: options.targetId,
      breaker: this.breaker,
      spooled,
    });
    this.artifacts = new SpoolingArtifactStore({
      primary: primary.artifacts,
      open: async () => (await this.local()).artifacts,
      tracking: this.tracking,
      breaker: this.breaker,
      spooled,
    });
    this.registry = new SpoolingRegistryStore({
      primary: primary.registry,
      tracking: this.tracking,
      breaker: this.breaker,
      drain: () => this.drain(),
      remoteRunId: async (id) => (await this.local()).syncSource.lookupMapping(options.targetId, 'run', id),
      onError: options.onError,
      targetId: options.targetId,
    });
  }

  /** The spool database, opened on first use (a logbook whose server never fails creates no file). */
  private local(): Promise<LocalSpool> {
    this.opened ??= this.options.openLocal().then((local) => {
      this.options.logger.info({ path: this.options.path }, 'spool: opened');
      return local;
    });
    return this.opened;
  }

  /** The server as a sync target. */
  get target(): SyncTarget {
    const { primary, targetId } = this.options;
    return { id: targetId, tracking: primary.tracking, registry: primary.registry, artifacts: primary.artifacts };
  }

  /** The logbook's backend: the routing tracking and artifact stores, the fail-fast registry. */
  get backend(): Backend {
    const { primary } = this.options;
    return {
      tracking: this.tracking,
      registry: this.registry,
      artifacts: this.artifacts,
      close: async () => {
        await this.close();
        await primary.close();
      },
    };
  }

  takesNow(runId: string): boolean {
    return this.tracking.takesNow(runId);
  }

  accept(runId: string, batch: LogBatch, cause: unknown): Promise<void> {
    return this.tracking.spoolBatch(runId, batch, cause);
  }

  /** Drains a backlog left by an earlier process (in the background). */
  async start(): Promise<void> {
    if (!this.options.exists) return;
    const status = await (await this.local()).syncSource.status(this.options.targetId);
    if (status.backlog.runs === 0) return;
    this.options.logger.info({ runs: status.backlog.runs, points: status.backlog.points, path: this.options.path }, 'spool: draining what an earlier process left in the spool');
    this.drainer.request(0);
  }

  stats(): SpoolStats {
    return {
      active: this.breaker.isOpen,
      path: this.options.path,
      ...this.counters,
      ...(this.lastDrainAt === undefined ? {} : { lastDrainAt: this.lastDrainAt }),
      ...(this.lastError === undefined ? {} : { lastError: this.lastError }),
    };
  }

  /** Backlog and history of the spool for the server (what `logbook sync status` shows). */
  async status(): Promise<SyncStatus> {
    return (await this.local()).syncSource.status(this.options.targetId);
  }

  /** Drains now (when the server is reachable) and resolves when done. */
  drain(): Promise<void> {
    return this.breaker.isOpen ? Promise.resolve() : this.drainer.drain();
  }

  /**
   * Drains what this process spooled when the server is reachable, then closes the spool database.
   * What cannot be delivered stays in the file for the next process or `logbook sync`. Idempotent.
   */
  close(): Promise<void> {
    this.closing ??= (async () => {
      try {
        // A drain running now may have started before the last writes: drain until one is clean.
        for (let i = 0; i < 5 && !this.breaker.isOpen && this.counters.pendingWrites > 0; i++) await this.drainer.drain();
        if (this.counters.pendingWrites > 0) {
          this.options.logger.warn(
            { path: this.options.path, writes: this.counters.pendingWrites },
            'spool: writes left in the spool; the next process that opens it (or `logbook sync`) delivers them',
          );
        }
      } finally {
        this.breaker.stop();
        await this.drainer.stop();
        if (this.opened !== undefined) await (await this.opened.catch(() => undefined))?.close();
      }
    })();
    return this.closing;
  }

  private tookOver(cause: unknown): void {
    const { targetId, path, logger, onError } = this.options;
    const why = cause instanceof Error ? cause.message : String(cause);
    logger.warn({ target: targetId, path, err: cause }, 'spool: the MLflow server cannot be reached; writes go to the spool');
    report(
      onError,
      new LogbookError('TEMPORARILY_UNAVAILABLE', `[core] The MLflow server ${targetId} cannot be reached (${why}); writes go to the spool ${path} and are delivered when it answers again.`, {
        cause,
      }),
      { operation: 'spool' },
    );
  }

  private drained(result: SyncReport, clean: boolean): void {
    this.counters.drains++;
    this.counters.drainedPoints += result.points;
    this.lastDrainAt = Date.now();
    this.failedDrains = 0;
    if (clean && result.ok) this.counters.pendingWrites = 0;
    if (result.ok) {
      this.lastError = undefined;
      this.options.logger.info({ target: this.options.targetId, points: result.points, runs: result.created.run + result.updated.run, ms: result.durationMs }, 'spool: drained into the MLflow server');
      return;
    }
    const first = result.failures[0]?.error ?? result.conflicts[0]?.message ?? 'unknown';
    this.lastError = first;
    report(
      this.options.onError,
      new LogbookError(
        'INTERNAL_ERROR',
        `[core] Draining the spool into ${this.options.targetId} left ${result.failures.length} failure(s) and ${result.conflicts.length} conflict(s) (kept in the spool, retried at the next drain); first: ${first}`,
      ),
      { operation: 'spool.drain' },
    );
  }

  private drainFailed(error: unknown): void {
    this.lastError = error instanceof Error ? error.message : String(error);
    if (isNetworkError(error)) {
      this.breaker.trip(error);
      return;
    }
    // Another process holding the drain lease, or a server answering 5xx: try again later.
    this.failedDrains++;
    const delay = Math.min(5000 * 2 ** (this.failedDrains - 1), 60_000);
    this.options.logger.warn({ err: error, retryInMs: delay }, 'spool: drain failed; retrying later');
    this.drainer.request(delay);
  }
}
