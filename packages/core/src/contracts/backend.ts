import type { InjectionToken } from 'tsyringe';
import type { LogbookConfig } from '../config/types.js';
import type { ArtifactStore } from './artifact-store.js';
import type { OperationalLogger } from './logger.js';
import type { RegistryStore } from './registry-store.js';
import type { TrackingStore } from './tracking-store.js';
import type { Clock } from './clock.js';
import type { IdGenerator } from './id-generator.js';
import type { SyncSource } from '../sync/types.js';

/** The stores one backend provides. */
export interface Backend {
  readonly tracking: TrackingStore;
  readonly registry: RegistryStore;
  readonly artifacts: ArtifactStore;
  /** The backend's change feed for `syncLogbook`, when it keeps one (the SQLite backend does). */
  readonly syncSource?: SyncSource;
  /**
   * Marks the run whose artifact root is `artifactUri` changed in {@link syncSource}'s feed (nothing
   * for a root that is no run), so a sync sends a file written after the run's last write. With it,
   * `createLogbook` marks around every file written to any artifact store, extra stores included.
   */
  readonly markArtifactsChanged?: (artifactUri: string) => Promise<void>;
  /** Closes all three; idempotent. */
  close(): Promise<void>;
}

/**
 * A backend plug-in. Backend packages register one for their tracking-URI schemes when imported
 * (`registerBackend`), so core never imports a backend.
 */
export interface BackendProvider {
  /** e.g. `sqlite`, `mlflow`. */
  readonly name: string;
  /** True when this provider serves the tracking URI. */
  handles(trackingUri: string): boolean;
  /** Opens the backend's stores; `context` carries the logbook's clock and id generator (DI-overridable). */
  create(config: LogbookConfig, logger: OperationalLogger, context?: BackendContext): Promise<Backend>;
}

/**
 * What `createLogbook` hands a {@link BackendProvider} besides the config: the container's `CLOCK`
 * and `ID_GENERATOR` (a parent container may override both), for the stores to stamp times and
 * assign ids with.
 */
export interface BackendContext {
  readonly now: Clock;
  readonly newId: IdGenerator;
  /**
   * Longest time one call may keep retrying, milliseconds, when something stands behind the
   * backend to take its writes (the spool's `spool.failoverMs`); a remote backend caps its own
   * deadline with it. Absent: the backend's own deadline.
   */
  readonly callDeadlineMs?: number;
}

/** DI token of the config in force. */
export const LOGBOOK_CONFIG: InjectionToken<LogbookConfig> = Symbol.for('logbook.Config');
