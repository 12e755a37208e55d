import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { LogbookError } from '@logbook/core';
import { listArtifactFiles } from '@logbook/core/spi';
import type { SyncStatus } from '@logbook/core';
import type {
  ArtifactStore,
  SyncEntityKind,
  SyncExperiment,
  SyncLease,
  SyncMetricCursor,
  SyncMetricPage,
  SyncRegisteredModel,
  SyncRun,
  SyncRunRef,
  SyncSource,
  SyncTombstone,
} from '@logbook/core/spi';
import { LocalArtifactStore } from '../artifacts/local-artifact-store.js';
import { Connection } from '../connection.js';
import { toStoreError } from '../errors.js';
import { SqliteStore } from '../sqlite-store.js';
import * as feed from './change-feed.js';
import * as state from './sync-state.js';

/** Options of {@link SqliteSyncSource}. */
export interface SqliteSyncSourceOptions {
  /** How long one statement waits for another connection's write lock. @default 5000 */
  readonly busyTimeoutMs?: number;
  /** Reads the runs' artifacts. @default a new LocalArtifactStore, closed with the source */
  readonly artifacts?: ArtifactStore;
  /** Clock. @default Date.now */
  readonly now?: () => number;
}

/**
 * A Logbook SQLite database as a sync source: its change feed (seq ranges, tombstones) and the
 * sync state kept in it (station id, per-target cursor, id map, intents, pending runs, lease).
 * It has its own connection, so it works beside a store writing to the same file.
 */
export class SqliteSyncSource implements SyncSource {
  readonly stationId: string;
  readonly artifacts: ArtifactStore;
  private readonly conn: Connection;
  private readonly ownsArtifacts: boolean;
  private readonly now: () => number;
  private closed = false;

  /** Opens a migrated Logbook database; use {@link openSyncSource}, which checks and migrates first. */
  constructor(
    readonly path: string,
    options: SqliteSyncSourceOptions = {},
  ) {
    this.conn = new Connection({ path, busyTimeoutMs: options.busyTimeoutMs ?? 5000 });
    try {
      this.conn.configure('NORMAL');
      this.stationId = state.stationId(this.conn);
    } catch (error) {
      this.conn.close();
      throw toStoreError(error, path);
    }
    this.ownsArtifacts = options.artifacts === undefined;
    this.artifacts = options.artifacts ?? new LocalArtifactStore();
    this.now = options.now ?? Date.now;
  }

  private call<T>(fn: () => T): Promise<T> {
    if (this.closed) return Promise.reject(new LogbookError('INVALID_STATE', `[sqlite] The sync source on ${this.path} is closed.`));
    try {
      return Promise.resolve(fn());
    } catch (error) {
      return Promise.reject(toStoreError(error, this.path));
    }
  }

  recordMapping(targetId: string, kind: SyncEntityKind, localId: string, remoteId: string): Promise<void> {
    return this.call(() => state.recordMapping(this.conn, targetId, kind, localId, remoteId));
  }

  lookupMapping(targetId: string, kind: SyncEntityKind, localId: string): Promise<string | undefined> {
    return this.call(() => state.lookupMapping(this.conn, targetId, kind, localId));
  }

  recordFingerprint(targetId: string, kind: SyncEntityKind, localId: string, fingerprint: string): Promise<void> {
    return this.call(() => state.recordFingerprint(this.conn, targetId, kind, localId, fingerprint));
  }

  lookupFingerprint(targetId: string, kind: SyncEntityKind, localId: string): Promise<string | undefined> {
    return this.call(() => state.lookupFingerprint(this.conn, targetId, kind, localId));
  }

  artifactsSent(targetId: string, runId: string): Promise<ReadonlyMap<string, number>> {
    return this.call(() => state.artifactsSent(this.conn, targetId, runId));
  }

  recordArtifactSent(targetId: string, runId: string, path: string, size: number): Promise<void> {
    return this.call(() => state.recordArtifactSent(this.conn, targetId, runId, path, size));
  }

  unfinishedRuns(includeFinished = false): Promise<readonly { readonly runId: string; readonly artifactUri: string }[]> {
    return this.call(() => state.unfinishedRuns(this.conn, includeFinished));
  }

  /** Backlog bytes: the artifact files of the changed and the unfinished runs not yet sent. */
  async status(targetId: string): Promise<SyncStatus> {
    const { backlogRuns, ...status } = await this.call(() => state.syncStatus(this.conn, targetId));
    const runs = new Map([...backlogRuns, ...(await this.unfinishedRuns())].map((r) => [r.runId, r.artifactUri]));
    let bytes = 0;
    for (const [runId, artifactUri] of runs) {
      const sent = await this.artifactsSent(targetId, runId);
      const files = await listArtifactFiles(this.artifacts, artifactUri).catch(() => []);
      for (const f of files) if (sent.get(f.path) !== (f.fileSize ?? -1)) bytes += f.fileSize ?? 0;
    }
    return { ...status, backlog: { ...status.backlog, bytes } };
  }

  targets(): Promise<readonly string[]> {
    return this.call(() => state.targets(this.conn));
  }

  currentSeq(): Promise<number> {
    return this.call(() => state.currentSeq(this.conn));
  }

  ackedSeq(targetId: string): Promise<number> {
    return this.call(() => state.ackedSeq(this.conn, targetId));
  }

  changedExperiments(sinceSeq: number): Promise<readonly SyncExperiment[]> {
    return this.call(() => feed.changedExperiments(this.conn, sinceSeq));
  }

  readExperiment(experimentId: string): Promise<SyncExperiment | undefined> {
    return this.call(() => feed.readExperiment(this.conn, experimentId));
  }

  changedRuns(targetId: string, sinceSeq: number, after: number, limit: number): Promise<readonly SyncRunRef[]> {
    return this.call(() => feed.changedRuns(this.conn, targetId, sinceSeq, after, limit));
  }

  readRun(runId: string): Promise<SyncRun | undefined> {
    return this.call(() => feed.readRun(this.conn, runId));
  }

  readMetrics(runId: string, sinceSeq: number, after: SyncMetricCursor | undefined, limit: number): Promise<SyncMetricPage> {
    return this.call(() => feed.readMetrics(this.conn, runId, sinceSeq, after, limit));
  }

  changedRegisteredModels(sinceSeq: number): Promise<readonly SyncRegisteredModel[]> {
    return this.call(() => feed.changedRegisteredModels(this.conn, sinceSeq));
  }

  tombstones(sinceSeq: number, after: number, limit: number): Promise<readonly SyncTombstone[]> {
    return this.call(() => feed.tombstones(this.conn, sinceSeq, after, limit));
  }

  recordIntent(targetId: string, kind: SyncEntityKind, localId: string): Promise<void> {
    return this.call(() => state.recordIntent(this.conn, targetId, kind, localId, this.now()));
  }

  hasIntent(targetId: string, kind: SyncEntityKind, localId: string): Promise<boolean> {
    return this.call(() => state.hasIntent(this.conn, targetId, kind, localId));
  }

  markPending(targetId: string, runId: string, sinceSeq: number): Promise<void> {
    return this.call(() => state.markPending(this.conn, targetId, runId, sinceSeq));
  }

  clearPending(targetId: string, runId: string): Promise<void> {
    return this.call(() => state.clearPending(this.conn, targetId, runId));
  }

  commitCursor(targetId: string, seq: number, outcome: { readonly at: number; readonly error?: string }): Promise<void> {
    return this.call(() => state.commitCursor(this.conn, targetId, seq, outcome));
  }

  acquireLease(targetId: string, ttlMs: number): Promise<SyncLease> {
    return this.call(() => state.acquireLease(this.conn, targetId, ttlMs, this.now));
  }

  /** Closes the connection (and the artifact store it made); idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.conn.close();
    if (this.ownsArtifacts) await this.artifacts.close();
  }
}

/**
 * Opens a Logbook database file as a sync source, applying pending migrations first (which draw
 * the station id). A missing file is RESOURCE_DOES_NOT_EXIST; a file that is not a Logbook
 * database, corrupt, or from a newer schema is refused with a typed error and left untouched.
 */
export async function openSyncSource(path: string, options: SqliteSyncSourceOptions = {}): Promise<SqliteSyncSource> {
  const absolute = resolve(path);
  if (!existsSync(absolute)) throw new LogbookError('RESOURCE_DOES_NOT_EXIST', `[sqlite] No Logbook database at ${absolute}.`);
  await new SqliteStore({ path: absolute }).close();
  return new SqliteSyncSource(absolute, options);
}
