import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { fail } from '../errors.js';
import { SqliteStore } from '../sqlite-store.js';
import { hasArtifactsModifiedSince, listArtifactFiles, localArtifactFolder } from './bundle-artifacts.js';
import { copyChangedRows } from './bundle-rows.js';
import { BundleWriter } from './bundle-writer.js';
import { ARTIFACTS_PART_PREFIX, BUNDLE_FORMAT_VERSION, DATABASE_PART } from './container-format.js';
import type { BundleManifest } from './manifest.js';

/** Options of {@link exportBundle}. */
export interface ExportBundleOptions {
  /**
   * `since-last-export`: what changed since the last bundle exported from this database with the
   * same `experimentNames` (everything when there was none); `all`: everything.
   * @default 'since-last-export'
   */
  readonly mode?: 'since-last-export' | 'all';
  /** Only the runs (and their model versions) of these experiments. @default every experiment */
  readonly experimentNames?: readonly string[];
  /** Clock in milliseconds, for tests. @default Date.now */
  readonly now?: () => number;
}

interface PreviousExport {
  readonly seqTo: number;
  readonly startedAt: number;
}

const BUSY_TIMEOUT_MS = 30_000;

/**
 * Writes an air-gap bundle of the Logbook database at `dbPath` to `outFile`: the changed entities
 * as a Logbook database (same schema, local ids, seq values and station id), the artifact files
 * of the runs it holds, and a manifest with the SHA-256 of every part. The export is recorded in
 * the source database (table `bundle_exports`) once the file is complete, so the next
 * `since-last-export` bundle starts where this one ended. Memory stays bounded: rows are copied
 * inside SQLite, files are streamed.
 *
 * @example
 * ```ts
 * const manifest = await exportBundle('./logbook.db', '/media/usb/station-7.lbk');
 * console.log(manifest.counts.runs, 'runs,', manifest.counts.metrics, 'points');
 * ```
 */
export async function exportBundle(dbPath: string, outFile: string, options: ExportBundleOptions = {}): Promise<BundleManifest> {
  const source = resolve(dbPath);
  const out = resolve(outFile);
  if (!existsSync(source)) fail('RESOURCE_DOES_NOT_EXIST', `No Logbook database at ${source}: nothing to export.`);
  if (out === source) fail('INVALID_PARAMETER_VALUE', 'The bundle file must not be the database itself.', 'outFile');
  const now = options.now ?? Date.now;
  const mode = options.mode ?? 'since-last-export';
  const names = options.experimentNames !== undefined && options.experimentNames.length > 0 ? [...new Set(options.experimentNames)].sort() : undefined;
  const filterKey = names === undefined ? '' : names.join('\n');
  const startedAt = now();
  // Opening it as a store checks it is a Logbook database and applies pending migrations.
  await new SqliteStore({ path: source }).close();

  const work = await mkdtemp(join(tmpdir(), 'logbook-bundle-export-'));
  try {
    const dbFile = join(work, DATABASE_PART);
    await new SqliteStore({ path: dbFile, artifactRoot: join(work, 'unused') }).close();
    const previous = mode === 'all' ? undefined : previousExport(source, filterKey);
    const extraRunIds = previous === undefined ? [] : await runsWithNewArtifacts(source, previous.startedAt);
    const built = buildDatabase(dbFile, source, previous?.seqTo ?? 0, names, extraRunIds);

    const writer = await BundleWriter.create(out);
    try {
      await writer.addFile(DATABASE_PART, dbFile);
      let artifacts = 0;
      let artifactBytes = 0;
      for (const run of built.runs) {
        const folder = localArtifactFolder(run.artifactUri);
        if (folder === undefined) continue;
        for await (const file of listArtifactFiles(folder)) {
          artifactBytes += await writer.addFile(`${ARTIFACTS_PART_PREFIX}${run.runUuid}/${file.rel}`, file.path);
          artifacts += 1;
        }
      }
      const manifest = await writer.finish({
        format: 'logbook-bundle',
        formatVersion: BUNDLE_FORMAT_VERSION,
        createdAt: startedAt,
        stationId: built.stationId,
        seq: { from: previous?.seqTo ?? 0, to: built.seqTo },
        mode,
        ...(names === undefined ? {} : { experimentNames: names }),
        counts: { ...built.counts, artifacts, artifactBytes },
      });
      recordExport(source, filterKey, manifest, startedAt, out);
      return manifest;
    } catch (error) {
      await writer.abort();
      throw error;
    }
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

function withSource<T>(path: string, action: (db: Database.Database) => T): T {
  const db = new Database(path, { timeout: BUSY_TIMEOUT_MS });
  try {
    return action(db);
  } finally {
    db.close();
  }
}

function previousExport(source: string, filterKey: string): PreviousExport | undefined {
  return withSource(source, (db) => {
    const row = db.prepare('SELECT seq_to AS seqTo, started_at AS startedAt FROM bundle_exports WHERE filter_key = ? ORDER BY seq_to DESC, id DESC LIMIT 1').get(filterKey) as
      | PreviousExport
      | undefined;
    return row;
  });
}

/** Local ids of the runs with an artifact file modified since the last export started. */
async function runsWithNewArtifacts(source: string, sinceMs: number): Promise<number[]> {
  const runs = withSource(source, (db) => db.prepare('SELECT id, artifact_uri AS artifactUri FROM runs').all() as { id: number; artifactUri: string }[]);
  const ids: number[] = [];
  for (const run of runs) {
    const folder = localArtifactFolder(run.artifactUri);
    if (folder !== undefined && (await hasArtifactsModifiedSince(folder, sinceMs))) ids.push(run.id);
  }
  return ids;
}

interface BuiltDatabase {
  readonly stationId: string;
  readonly seqTo: number;
  readonly counts: ReturnType<typeof copyChangedRows>;
  readonly runs: readonly { readonly runUuid: string; readonly artifactUri: string }[];
}

/** Copies the changed rows into the fresh database `dbFile`, reading one snapshot of the source. */
function buildDatabase(dbFile: string, source: string, since: number, names: readonly string[] | undefined, extraRunIds: readonly number[]): BuiltDatabase {
  const db = new Database(dbFile, { timeout: BUSY_TIMEOUT_MS });
  try {
    db.pragma('journal_mode = DELETE');
    db.prepare('ATTACH DATABASE ? AS src').run(source);
    const built = db.transaction(() => {
      db.prepare('DELETE FROM main.experiments').run();
      const counts = copyChangedRows(db, since, names, extraRunIds);
      const seqTo = (db.prepare('SELECT seq FROM src.sync_state WHERE id = 1').get() as { seq: number }).seq;
      const stationId = (db.prepare('SELECT station_id AS id FROM src.sync_station WHERE id = 1').get() as { id: string }).id;
      db.prepare('UPDATE main.sync_state SET seq = ? WHERE id = 1').run(seqTo);
      db.prepare('UPDATE main.sync_station SET station_id = ? WHERE id = 1').run(stationId);
      const runs = db.prepare('SELECT run_uuid AS runUuid, artifact_uri AS artifactUri FROM main.runs ORDER BY id').all() as BuiltDatabase['runs'];
      return { stationId, seqTo, counts, runs };
    })();
    db.prepare('DETACH DATABASE src').run();
    return built;
  } finally {
    db.close();
  }
}

function recordExport(source: string, filterKey: string, manifest: BundleManifest, startedAt: number, file: string): void {
  const sha = createHash('sha256').update(JSON.stringify(manifest)).digest('hex');
  withSource(source, (db) => {
    db.prepare('INSERT INTO bundle_exports (filter_key, seq_from, seq_to, started_at, file, manifest_sha256) VALUES (?, ?, ?, ?, ?, ?)').run(
      filterKey,
      manifest.seq.from,
      manifest.seq.to,
      startedAt,
      file,
      sha,
    );
  });
}
