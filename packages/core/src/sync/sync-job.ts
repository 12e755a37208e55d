import { LogbookError, isLogbookError } from '../errors.js';
import type { OperationalLogger } from '../contracts/logger.js';
import { Slots } from './slots.js';
import type { ConflictPolicy, SyncConflict, SyncEntityKind, SyncFailure, SyncOptions, SyncProgress, SyncReport, SyncSource, SyncTarget } from './types.js';

type Counts = Record<SyncEntityKind, number>;
const zero = (): Counts => ({ experiment: 0, run: 0, registered_model: 0, model_version: 0 });

/** Thrown inside a run's sync when the conflict policy fails that run. */
export class RunConflictError extends Error {}

/** The state of one `syncLogbook` call, shared by its phases. */
export class SyncJob {
  readonly created = zero();
  readonly updated = zero();
  readonly skipped = zero();
  readonly deleted = zero();
  readonly conflicts: SyncConflict[] = [];
  readonly failures: SyncFailure[] = [];
  points = 0;
  artifactBytes = 0;
  /** Set when something other than a run failed: the cursor must not move. */
  globalFailure = false;
  readonly policy: ConflictPolicy;
  readonly dryRun: boolean;
  readonly logger: OperationalLogger | undefined;
  private readonly startedAt = Date.now();
  readonly progress: { phase: string; entitiesDone: number; entitiesTotal: number; pointsDone: number; pointsTotal: number; bytesDone: number; bytesTotal: number } = {
    phase: 'experiments',
    entitiesDone: 0,
    entitiesTotal: 0,
    pointsDone: 0,
    pointsTotal: 0,
    bytesDone: 0,
    bytesTotal: 0,
  };
  /** Log-batch requests of metric points in flight across all runs (`concurrency`). */
  readonly batchSlots: Slots;
  /** Promises of local -> remote ids being resolved, so concurrent runs create each entity once. */
  readonly pending = new Map<string, Promise<string | undefined>>();

  constructor(
    readonly source: SyncSource,
    readonly target: SyncTarget,
    readonly options: SyncOptions,
    /** The acknowledged cursor when the job started. */
    readonly acked: number,
  ) {
    this.policy = options.conflictPolicy ?? 'skip';
    this.dryRun = options.dryRun ?? false;
    this.logger = options.logger;
    this.batchSlots = new Slots(options.concurrency ?? 4);
  }

  /** True on a first sync to this target: the id map may be missing, so look on the target first. */
  get firstSync(): boolean {
    return this.acked === 0;
  }

  /** Tags every created run and model version carries. */
  provenance(localId: string): Record<string, string> {
    return { 'logbook.sync.station': this.source.stationId, 'logbook.sync.local_id': localId };
  }

  /** Records a conflict; with policy `fail-run` on a run, throws to fail that run. */
  conflict(kind: SyncEntityKind, localId: string, remoteId: string | undefined, message: string): void {
    this.conflicts.push({ kind, localId, ...(remoteId === undefined ? {} : { remoteId }), message, policy: this.policy });
    this.logger?.warn({ kind, localId, remoteId, policy: this.policy }, `sync conflict: ${message}`);
    if (this.policy === 'fail-run' && kind === 'run') throw new RunConflictError(message);
  }

  fail(kind: SyncEntityKind, localId: string, error: unknown): void {
    const message = error instanceof Error ? error.message : String(error);
    this.failures.push({ kind, localId, error: message });
    this.logger?.error({ kind, localId, err: error }, `sync failed for ${kind} ${localId}`);
  }

  /** Reports progress to the caller. */
  emit(phase?: string): void {
    if (phase !== undefined) this.progress.phase = phase;
    this.options.onProgress?.({ ...this.progress } as SyncProgress);
  }

  throwIfAborted(): void {
    if (this.options.signal?.aborted === true) throw new LogbookError('CANCELLED', '[core] The sync was cancelled; what was acknowledged stays synced, the rest follows next time.');
  }

  /** Resolves `key` once across concurrent callers. */
  once(key: string, resolve: () => Promise<string | undefined>): Promise<string | undefined> {
    let promise = this.pending.get(key);
    if (promise === undefined) {
      promise = resolve();
      this.pending.set(key, promise);
      promise.catch(() => this.pending.delete(key));
    }
    return promise;
  }

  report(): SyncReport {
    return {
      ok: this.failures.length === 0 && this.conflicts.length === 0,
      dryRun: this.dryRun,
      created: this.created,
      updated: this.updated,
      skipped: this.skipped,
      deleted: this.deleted,
      points: this.points,
      artifactBytes: this.artifactBytes,
      conflicts: this.conflicts,
      failures: this.failures,
      durationMs: Date.now() - this.startedAt,
    };
  }
}

/** Runs `fn`, treating RESOURCE_DOES_NOT_EXIST as "already gone". */
export async function ignoreMissing(fn: () => Promise<unknown>): Promise<void> {
  try {
    await fn();
  } catch (error) {
    if (!isLogbookError(error, 'RESOURCE_DOES_NOT_EXIST')) throw error;
  }
}

/** `fn()`, or undefined when the entity does not exist. */
export async function orMissing<T>(fn: () => Promise<T>): Promise<T | undefined> {
  try {
    return await fn();
  } catch (error) {
    if (isLogbookError(error, 'RESOURCE_DOES_NOT_EXIST')) return undefined;
    throw error;
  }
}
