import type { ArtifactLocationPolicy, LongValuePolicy } from '@logbook/core/spi';
import type { IdGenerator } from '@logbook/core';

/** How hard SQLite syncs to disk on commit (`PRAGMA synchronous`). */
export type SynchronousMode = 'NORMAL' | 'FULL';

/** Options of {@link SqliteStore}. Every field is optional; defaults are documented per field. */
export interface SqliteStoreOptions {
  /**
   * Database file, or `':memory:'` for a private in-memory database (gone on close).
   * Relative paths resolve against the current working directory. Parent folders are created.
   * @default './logbook.db'
   */
  readonly path?: string;
  /**
   * Root of the artifacts of new experiments: a local folder path, a `file:` URI, or another
   * store's URI (`s3://bucket/prefix`) when artifacts go elsewhere.
   * @default `<folder of the database>/logbook-artifacts`; for `':memory:'`, a fresh folder under the OS temp dir
   */
  readonly artifactRoot?: string;
  /**
   * Accept `file:` artifact locations outside `artifactRoot` in `createExperiment`. Other rules
   * stay (allowed schemes, absolute, no query, fragment or `..`).
   * @default false
   */
  readonly allowArtifactLocationsOutsideRoot?: boolean;
  /**
   * URI schemes `createExperiment` accepts as artifact locations.
   * @default `file`, `s3`, `mlflow-artifacts` and the scheme of `artifactRoot`
   */
  readonly artifactSchemes?: readonly string[];
  /**
   * How long an operation keeps trying while another process holds the write lock: it waits on
   * timers (never blocking the event loop more than a few milliseconds), then rejects with a
   * retryable `LogbookError('TEMPORARILY_UNAVAILABLE')`.
   * @default 5000
   */
  readonly busyTimeoutMs?: number;
  /**
   * Param values over 6000 and run tag values over 8000 characters: `truncate` keeps the first N
   * characters (MLflow's server default, MLFLOW_TRUNCATE_LONG_VALUES=true); `reject` throws.
   * @default 'truncate'
   */
  readonly longValues?: LongValuePolicy;
  /**
   * `NORMAL` (with WAL) survives any process crash (SIGKILL) without losing a committed
   * transaction; only an OS crash or power loss can roll back the last commits, never corrupt.
   * `FULL` also survives power loss, at the cost of one fsync per commit.
   * @default 'NORMAL'
   */
  readonly synchronous?: SynchronousMode;
  /**
   * Open an existing Logbook database for reading only (what `logbook` read commands use): the
   * file must exist and already be at this version's schema; nothing is created, migrated or
   * written, and it can be read from a read-only folder or mount. Writes then fail.
   * @default false
   */
  readonly readonly?: boolean;
  /** Clock in milliseconds, for tests. @default Date.now */
  readonly now?: () => number;
  /** New run ids (a logbook hands over its `ID_GENERATOR`). @default random UUIDs without dashes */
  readonly newId?: IdGenerator;
}

/** {@link SqliteStoreOptions} with every default applied. */
export interface ResolvedSqliteOptions {
  readonly path: string;
  /** Absolute URI (`file:` for folders), no trailing slash. */
  readonly artifactRootUri: string;
  /** What `createExperiment` accepts as an artifact location. */
  readonly artifactLocations: ArtifactLocationPolicy;
  readonly busyTimeoutMs: number;
  readonly longValues: LongValuePolicy;
  readonly synchronous: SynchronousMode;
  readonly readonly: boolean;
  readonly now: () => number;
  readonly newId: IdGenerator;
}
