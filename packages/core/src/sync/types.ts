import type { ArtifactStore } from '../contracts/artifact-store.js';
import type { OperationalLogger } from '../contracts/logger.js';
import type { RegistryStore } from '../contracts/registry-store.js';
import type { TrackingStore } from '../contracts/tracking-store.js';
import type { Tags } from '../model/common.js';
import type { LifecycleStage, ModelStage } from '../model/enums.js';
import type { Metric, RunInfo } from '../model/run.js';

/**
 * What a mapping or a conflict is about. Local ids: an experiment's local id, a run's uuid, a
 * registered model's name, a model version's `name/version`.
 */
export type SyncEntityKind = 'experiment' | 'run' | 'registered_model' | 'model_version';

/** A local experiment as the change feed gives it. */
export interface SyncExperiment {
  readonly experimentId: string;
  readonly name: string;
  readonly lifecycleStage: LifecycleStage;
  readonly tags: Tags;
  readonly seq: number;
}

/** A run that changed after a cursor (`seq` is the run row's seq; `sinceSeq` what to send from). */
export interface SyncRunRef {
  readonly runId: string;
  readonly seq: number;
  /** Send the run's params, tags and points with seq greater than this. */
  readonly sinceSeq: number;
}

/** A local run: info, params and tags (metrics come in pages from `readMetrics`). */
export interface SyncRun extends RunInfo {
  readonly params: Tags;
  readonly tags: Tags;
  readonly seq: number;
}

/** Where a page of metric points stopped; pass it back to get the next page. */
export interface SyncMetricCursor {
  readonly key: string;
  readonly timestamp: number;
  readonly step: number;
  readonly value: number;
  readonly isNan: number;
}

export interface SyncMetricPage {
  readonly metrics: readonly Metric[];
  /** Absent on the last page. */
  readonly next?: SyncMetricCursor;
}

/** A local model version with what the registry keeps about it. */
export interface SyncModelVersion {
  readonly name: string;
  readonly version: string;
  readonly source: string;
  readonly runId?: string;
  readonly runLink?: string;
  readonly description?: string;
  readonly currentStage: ModelStage;
  readonly tags: Tags;
  /** Deleted in the source (the target's copy is deleted too). */
  readonly deleted?: boolean;
  readonly seq: number;
}

/** A registered model that changed after a cursor, with its versions changed after it. */
export interface SyncRegisteredModel {
  readonly name: string;
  readonly description?: string;
  readonly tags: Tags;
  /** alias -> local version. */
  readonly aliases: Readonly<Record<string, string>>;
  readonly versions: readonly SyncModelVersion[];
  readonly seq: number;
}

/**
 * A hard deletion recorded in the source: `entity` is e.g. `run_tag`, `experiment_tag`,
 * `registered_model`, `registered_model_tag`, `registered_model_alias`, `model_version_tag`,
 * `registered_model_name` (a rename: `key` is the new name).
 */
export interface SyncTombstone {
  readonly seq: number;
  readonly entity: string;
  readonly entityId: string;
  readonly key?: string;
}

/** A held per-(source, target) lock; `release()` is idempotent. */
export interface SyncLease {
  readonly holder: string;
  /** Extends the lease; throws when another holder took it over meanwhile. */
  renew(): Promise<void>;
  release(): Promise<void>;
}

/** Where changes come from: a Logbook SQLite database (the live one, a copy, a spool, a bundle's). */
export interface SyncSource {
  /** Stable id of the station that wrote the database (kept in the database; a copy keeps it). */
  readonly stationId: string;
  /** Reads the source's artifact bytes (the run's `artifactUri` is in this store). */
  readonly artifacts: ArtifactStore;
  /** Records that a local entity already exists on the target (the spool's shadow runs). */
  recordMapping(targetId: string, kind: SyncEntityKind, localId: string, remoteId: string): Promise<void>;
  /** The target id a local entity maps to, if known. */
  lookupMapping(targetId: string, kind: SyncEntityKind, localId: string): Promise<string | undefined>;
  /**
   * Keeps, beside a mapping, a fingerprint of what the engine last wrote to the target for the
   * entity (so a change made on the target since is a conflict, not overwritten). No-op when the
   * entity is not mapped.
   */
  recordFingerprint(targetId: string, kind: SyncEntityKind, localId: string, fingerprint: string): Promise<void>;
  /** The fingerprint kept by {@link SyncSource.recordFingerprint}, if any. */
  lookupFingerprint(targetId: string, kind: SyncEntityKind, localId: string): Promise<string | undefined>;
  /** Artifact files of a local run recorded as being on the target: path -> size in bytes. */
  artifactsSent(targetId: string, runId: string): Promise<ReadonlyMap<string, number>>;
  /** Records that an artifact file of a local run is on the target (sent, or found there). */
  recordArtifactSent(targetId: string, runId: string, path: string, size: number): Promise<void>;
  /**
   * Active runs not yet terminal: their artifacts can grow without a database write, so each sync
   * looks at their folders (bounded: finished runs are looked at only when they changed). With
   * `includeFinished`, every active run ({@link SyncOptions.rescanArtifacts}).
   */
  unfinishedRuns(includeFinished?: boolean): Promise<readonly { readonly runId: string; readonly artifactUri: string }[]>;
  /** Backlog and history for `logbook sync status`. */
  status(targetId: string): Promise<SyncStatus>;
  /** The targets this source keeps sync state for (optional: `sync status` without `--to`). */
  targets?(): Promise<readonly string[]>;
  close(): Promise<void>;

  // The change feed.
  /** The source's change counter now (the highest committed seq). */
  currentSeq(): Promise<number>;
  /** The acknowledged cursor for a target (0 when never synced). */
  ackedSeq(targetId: string): Promise<number>;
  /** Experiments whose row or tags changed after `sinceSeq` (few: not paged). */
  changedExperiments(sinceSeq: number): Promise<readonly SyncExperiment[]>;
  /** One local experiment, if it exists. */
  readExperiment(experimentId: string): Promise<SyncExperiment | undefined>;
  /**
   * Runs changed after `sinceSeq` in seq order after `max(sinceSeq, after)`, at most `limit`; the
   * first page (`after` below `sinceSeq`, e.g. -1) also carries the runs left pending for this
   * target by an earlier sync (with their own older `sinceSeq`).
   */
  changedRuns(targetId: string, sinceSeq: number, after: number, limit: number): Promise<readonly SyncRunRef[]>;
  /** One local run, if it exists. */
  readRun(runId: string): Promise<SyncRun | undefined>;
  /** A run's metric points written after `sinceSeq`, at most `limit`, after `after`. */
  readMetrics(runId: string, sinceSeq: number, after: SyncMetricCursor | undefined, limit: number): Promise<SyncMetricPage>;
  /** Registered models whose row, tags, aliases or versions changed after `sinceSeq`. */
  changedRegisteredModels(sinceSeq: number): Promise<readonly SyncRegisteredModel[]>;
  /** Hard deletions after `sinceSeq` in seq order after `after` (a seq), at most `limit`. */
  tombstones(sinceSeq: number, after: number, limit: number): Promise<readonly SyncTombstone[]>;

  // Exactly-once bookkeeping.
  /** Writes an intent before a non-idempotent create on the target. */
  recordIntent(targetId: string, kind: SyncEntityKind, localId: string): Promise<void>;
  /** True when an intent was written and no mapping followed (the create may have happened). */
  hasIntent(targetId: string, kind: SyncEntityKind, localId: string): Promise<boolean>;
  /** Keeps a run to retry at the next sync, from `sinceSeq` (it failed or conflicted). */
  markPending(targetId: string, runId: string, sinceSeq: number): Promise<void>;
  /** Forgets a pending run once it synced. */
  clearPending(targetId: string, runId: string): Promise<void>;
  /** Commits the acknowledged cursor and the outcome of a sync. */
  commitCursor(targetId: string, seq: number, outcome: { readonly at: number; readonly error?: string }): Promise<void>;
  /**
   * Takes the per-(source, target) lease; throws a `LogbookError` with code
   * `TEMPORARILY_UNAVAILABLE` when another live sync holds it.
   */
  acquireLease(targetId: string, ttlMs: number): Promise<SyncLease>;
}

export interface SyncStatus {
  readonly targetId: string;
  /** Acknowledged cursor (seq) and the source's current seq. */
  readonly ackedSeq: number;
  readonly currentSeq: number;
  /** Runs and points changed since the cursor; bytes of artifact files not yet sent (of those runs and of unfinished ones). */
  readonly backlog: { readonly runs: number; readonly points: number; readonly bytes: number };
  readonly lastSuccessAt?: number;
  readonly lastError?: { readonly at: number; readonly message: string };
  /** local -> remote ids known for this target. */
  readonly mappings: readonly { readonly kind: SyncEntityKind; readonly localId: string; readonly remoteId: string }[];
}

/** Where changes go: any backend's three stores (MLflow, another SQLite store, ...). */
export interface SyncTarget {
  /** Stable id of the target, e.g. its normalized tracking URI; keys the cursor and the id map. */
  readonly id: string;
  readonly tracking: TrackingStore;
  readonly registry: RegistryStore;
  readonly artifacts: ArtifactStore;
}

export type ConflictPolicy = 'skip' | 'fail-run';

export interface SyncOptions {
  readonly dryRun?: boolean;
  readonly experimentNames?: readonly string[];
  readonly runIds?: readonly string[];
  /** @default 'skip' (reported as a warning; the exit status still says so) */
  readonly conflictPolicy?: ConflictPolicy;
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: SyncProgress) => void;
  readonly logger?: OperationalLogger;
  /** Runs in flight at once, and log-batch requests of metric points in flight at once. @default 4 */
  readonly concurrency?: number;
  /** Lease time-to-live; renewed while the sync runs. @default 60000 */
  readonly leaseTtlMs?: number;
  /**
   * Also list the artifact folder of every synced run that did not change, finished ones too, and
   * send the files not recorded as sent: for files put into a run's folder around Logbook (copied
   * in by hand), which change nothing in the database. One folder listing per run. @default false
   */
  readonly rescanArtifacts?: boolean;
}

export interface SyncProgress {
  readonly phase: string; // 'experiments' | 'runs' | 'metrics' | 'artifacts' | 'registry' | 'deletions' | 'done'
  readonly entitiesDone: number;
  readonly entitiesTotal: number;
  readonly pointsDone: number;
  readonly pointsTotal: number;
  readonly bytesDone: number;
  readonly bytesTotal: number;
}

export interface SyncConflict {
  readonly kind: SyncEntityKind;
  readonly localId: string;
  readonly remoteId?: string;
  readonly message: string;
  readonly policy: ConflictPolicy;
}

export interface SyncFailure {
  readonly kind: SyncEntityKind;
  readonly localId: string;
  readonly error: string;
}

export interface SyncReport {
  /** True when nothing failed and nothing conflicted. */
  readonly ok: boolean;
  readonly dryRun: boolean;
  readonly created: Readonly<Record<SyncEntityKind, number>>;
  readonly updated: Readonly<Record<SyncEntityKind, number>>;
  readonly skipped: Readonly<Record<SyncEntityKind, number>>;
  readonly deleted: Readonly<Record<SyncEntityKind, number>>;
  readonly points: number;
  readonly artifactBytes: number;
  readonly conflicts: readonly SyncConflict[];
  readonly failures: readonly SyncFailure[];
  readonly durationMs: number;
}

/** Provenance tag on every target run and model version: the source station id. */
export const SYNC_STATION_TAG = 'logbook.sync.station';
/** Provenance tag on every target run and model version: the local id. */
export const SYNC_LOCAL_ID_TAG = 'logbook.sync.local_id';
/**
 * Provenance tag on every target model version: the fingerprint (a hash of stage, description and
 * tags but provenance) of what the engine last wrote there. It survives a lost id map (a bundle
 * import), so a version changed on the target is still told from one changed only at the source.
 */
export const SYNC_FINGERPRINT_TAG = 'logbook.sync.fingerprint';
/**
 * Marks a local run, and its experiment, as standing in for an existing target run (the spool's
 * stand-in for a server run this process did not start): the value is the target run's id. The
 * experiment is that run's experiment on the target; the run only adds to the target run (its
 * params, tags, points, artifacts and end). Its name is sent only when it was renamed (it is not
 * {@link STAND_IN_RUN_NAME}). Never sent to the target.
 */
export const SYNC_STANDS_FOR_TAG = 'logbook.sync.stands_for';
/** The name a stand-in run is created with; a stand-in still named so leaves the target run's name alone. */
export const STAND_IN_RUN_NAME = 'stand-in';
/** Prefix of the spool experiment of a stand-in; the target run's id follows. */
export const STAND_IN_EXPERIMENT_PREFIX = 'logbook-spool/stand-in/';
