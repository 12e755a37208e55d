import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import { LogbookError } from '@logbook/core';
import type { SyncStatus } from '@logbook/core';
import type { SyncEntityKind, SyncLease } from '@logbook/core/spi';
import type { Connection } from '../connection.js';

/*
 * The write side of the SQLite sync source: the id map, intents, pending runs, the cursor and the
 * lease, all in the source database. Each call is one short IMMEDIATE transaction.
 */

/** The station id drawn once by migration 002. */
export function stationId(conn: Connection): string {
  return (conn.stmt('SELECT station_id FROM sync_station WHERE id = 1').get() as { station_id: string }).station_id;
}

/** Every target with a cursor or mappings, sorted. */
export function targets(conn: Connection): string[] {
  return (conn.stmt('SELECT target_id FROM sync_targets UNION SELECT DISTINCT target_id FROM sync_map ORDER BY 1').all() as { target_id: string }[]).map((r) => r.target_id);
}

export function currentSeq(conn: Connection): number {
  return (conn.stmt('SELECT seq FROM sync_state WHERE id = 1').get() as { seq: number }).seq;
}

export function ackedSeq(conn: Connection, targetId: string): number {
  const row = conn.stmt('SELECT acked_seq FROM sync_targets WHERE target_id = ?').get(targetId) as { acked_seq: number } | undefined;
  return row?.acked_seq ?? 0;
}

/** Writes local -> remote and clears the intent that preceded the create. */
export function recordMapping(conn: Connection, targetId: string, kind: SyncEntityKind, localId: string, remoteId: string): void {
  conn.write(() => {
    conn.stmt('INSERT OR REPLACE INTO sync_map (target_id, kind, local_id, remote_id) VALUES (?, ?, ?, ?)').run(targetId, kind, localId, remoteId);
    conn.stmt('DELETE FROM sync_intents WHERE target_id = ? AND kind = ? AND local_id = ?').run(targetId, kind, localId);
  });
}

export function lookupMapping(conn: Connection, targetId: string, kind: SyncEntityKind, localId: string): string | undefined {
  const row = conn.stmt('SELECT remote_id FROM sync_map WHERE target_id = ? AND kind = ? AND local_id = ?').get(targetId, kind, localId) as { remote_id: string } | undefined;
  return row?.remote_id;
}

/** Keeps what was last written to the target for a mapped entity (no-op when it is not mapped). */
export function recordFingerprint(conn: Connection, targetId: string, kind: SyncEntityKind, localId: string, fingerprint: string): void {
  conn.write(() => {
    conn.stmt('UPDATE sync_map SET fingerprint = ? WHERE target_id = ? AND kind = ? AND local_id = ?').run(fingerprint, targetId, kind, localId);
  });
}

export function lookupFingerprint(conn: Connection, targetId: string, kind: SyncEntityKind, localId: string): string | undefined {
  const row = conn.stmt('SELECT fingerprint FROM sync_map WHERE target_id = ? AND kind = ? AND local_id = ?').get(targetId, kind, localId) as { fingerprint: string | null } | undefined;
  return row?.fingerprint ?? undefined;
}

/** Artifact files of a run already on the target: path -> size. */
export function artifactsSent(conn: Connection, targetId: string, runId: string): Map<string, number> {
  const rows = conn.stmt('SELECT path, size FROM sync_artifacts WHERE target_id = ? AND run_id = ?').all(targetId, runId) as { path: string; size: number }[];
  return new Map(rows.map((r) => [r.path, r.size]));
}

export function recordArtifactSent(conn: Connection, targetId: string, runId: string, path: string, size: number): void {
  conn.write(() => {
    conn.stmt('INSERT OR REPLACE INTO sync_artifacts (target_id, run_id, path, size) VALUES (?, ?, ?, ?)').run(targetId, runId, path, size);
  });
}

/**
 * Active runs not yet terminal (RUNNING or SCHEDULED): their artifact folders may grow without a
 * database write. With `includeFinished`, every active run.
 */
export function unfinishedRuns(conn: Connection, includeFinished = false): { runId: string; artifactUri: string }[] {
  const status = includeFinished ? '' : "status IN ('RUNNING', 'SCHEDULED') AND ";
  return conn.stmt(`SELECT run_uuid AS runId, artifact_uri AS artifactUri FROM runs WHERE ${status}lifecycle_stage = 'active' ORDER BY seq`).all() as {
    runId: string;
    artifactUri: string;
  }[];
}

export function recordIntent(conn: Connection, targetId: string, kind: SyncEntityKind, localId: string, now: number): void {
  conn.write(() => {
    conn.stmt('INSERT OR IGNORE INTO sync_intents (target_id, kind, local_id, created_at) VALUES (?, ?, ?, ?)').run(targetId, kind, localId, now);
  });
}

export function hasIntent(conn: Connection, targetId: string, kind: SyncEntityKind, localId: string): boolean {
  return conn.stmt('SELECT 1 FROM sync_intents WHERE target_id = ? AND kind = ? AND local_id = ?').get(targetId, kind, localId) !== undefined;
}

/** Keeps the oldest cursor of a run to retry. */
export function markPending(conn: Connection, targetId: string, runId: string, sinceSeq: number): void {
  conn.write(() => {
    conn
      .stmt(`INSERT INTO sync_pending (target_id, run_id, since_seq) VALUES (?, ?, ?)
      ON CONFLICT (target_id, run_id) DO UPDATE SET since_seq = MIN(since_seq, excluded.since_seq)`)
      .run(targetId, runId, sinceSeq);
  });
}

export function clearPending(conn: Connection, targetId: string, runId: string): void {
  conn.write(() => {
    conn.stmt('DELETE FROM sync_pending WHERE target_id = ? AND run_id = ?').run(targetId, runId);
  });
}

/** Moves the cursor (never backwards) and records the outcome. */
export function commitCursor(conn: Connection, targetId: string, seq: number, outcome: { readonly at: number; readonly error?: string }): void {
  conn.write(() => {
    conn.stmt('INSERT OR IGNORE INTO sync_targets (target_id, acked_seq) VALUES (?, 0)').run(targetId);
    conn.stmt('UPDATE sync_targets SET acked_seq = MAX(acked_seq, ?) WHERE target_id = ?').run(seq, targetId);
    if (outcome.error === undefined) conn.stmt('UPDATE sync_targets SET last_success_at = ? WHERE target_id = ?').run(outcome.at, targetId);
    else conn.stmt('UPDATE sync_targets SET last_error_at = ?, last_error = ? WHERE target_id = ?').run(outcome.at, outcome.error, targetId);
  });
}

/** A holder id that says where it runs, so a lease left by a killed process on this host is taken over at once. */
function holderId(): string {
  return `${hostname()}:${process.pid}:${randomUUID()}`;
}

function holderIsDead(holder: string): boolean {
  const [host, pid] = holder.split(':');
  if (host !== hostname() || pid === undefined || !/^\d+$/.test(pid)) return false;
  if (Number(pid) === process.pid) return false;
  try {
    process.kill(Number(pid), 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/**
 * Takes the per-(source, target) lease. Another holder's lease blocks unless it expired or its
 * process (on this host) is gone.
 */
export function acquireLease(conn: Connection, targetId: string, ttlMs: number, now: () => number): SyncLease {
  const holder = holderId();
  conn.write(() => {
    const row = conn.stmt('SELECT holder, expires_at FROM sync_leases WHERE target_id = ?').get(targetId) as { holder: string; expires_at: number } | undefined;
    if (row !== undefined && row.expires_at > now() && !holderIsDead(row.holder)) {
      throw new LogbookError('TEMPORARILY_UNAVAILABLE', `[sqlite] Another sync of this database to ${targetId} is running (${row.holder}); retry when it has finished.`);
    }
    conn.stmt('INSERT OR REPLACE INTO sync_leases (target_id, holder, expires_at) VALUES (?, ?, ?)').run(targetId, holder, now() + ttlMs);
  });
  let released = false;
  return {
    holder,
    renew: async () => {
      const changes = conn.write(() => conn.stmt('UPDATE sync_leases SET expires_at = ? WHERE target_id = ? AND holder = ?').run(now() + ttlMs, targetId, holder).changes);
      if (changes === 0) throw new LogbookError('INVALID_STATE', `[sqlite] The sync lease on ${targetId} was taken over by another sync.`);
    },
    release: async () => {
      if (released || !conn.isOpen) return;
      released = true;
      conn.write(() => conn.stmt('DELETE FROM sync_leases WHERE target_id = ? AND holder = ?').run(targetId, holder));
    },
  };
}

/**
 * Backlog and history of one target. Bytes are filled in by the source (artifact files are not
 * in the database): 0 here.
 */
export function syncStatus(conn: Connection, targetId: string): SyncStatus & { readonly backlogRuns: readonly { runId: string; artifactUri: string }[] } {
  return conn.read(() => {
    const acked = ackedSeq(conn, targetId);
    const target = conn.stmt('SELECT * FROM sync_targets WHERE target_id = ?').get(targetId) as { last_success_at: number | null; last_error_at: number | null; last_error: string | null } | undefined;
    const changed = `SELECT id, ? AS since FROM runs WHERE seq > ?
      UNION ALL SELECT r.id, p.since_seq FROM sync_pending p JOIN runs r ON r.run_uuid = p.run_id WHERE p.target_id = ? AND r.seq <= ?`;
    const runs = (conn.stmt(`SELECT COUNT(*) AS n FROM (${changed})`).get(acked, acked, targetId, acked) as { n: number }).n;
    const backlogRuns = conn.stmt(`SELECT run_uuid AS runId, artifact_uri AS artifactUri FROM runs WHERE id IN (SELECT id FROM (${changed}))`).all(acked, acked, targetId, acked) as {
      runId: string;
      artifactUri: string;
    }[];
    const points = (conn.stmt(`SELECT COUNT(*) AS n FROM (${changed}) c JOIN metrics m ON m.run_id = c.id AND m.seq > c.since`).get(acked, acked, targetId, acked) as { n: number }).n;
    const mappings = conn.stmt('SELECT kind, local_id AS localId, remote_id AS remoteId FROM sync_map WHERE target_id = ? ORDER BY kind, local_id').all(targetId) as {
      kind: SyncEntityKind;
      localId: string;
      remoteId: string;
    }[];
    return {
      targetId,
      ackedSeq: acked,
      currentSeq: currentSeq(conn),
      backlog: { runs, points, bytes: 0 },
      backlogRuns,
      ...(target?.last_success_at == null ? {} : { lastSuccessAt: target.last_success_at }),
      ...(target?.last_error_at == null || target.last_error == null ? {} : { lastError: { at: target.last_error_at, message: target.last_error } }),
      mappings,
    };
  });
}
