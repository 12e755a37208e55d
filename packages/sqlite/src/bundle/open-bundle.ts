import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import type { SyncSource } from '@logbook/core/spi';
import { openSyncSource } from '../sync/sqlite-sync-source.js';
import { BundleReader } from './bundle-reader.js';
import { ARTIFACTS_PART_PREFIX, DATABASE_PART } from './container-format.js';
import type { BundleManifest } from './manifest.js';

/** A bundle opened as a sync source; `close()` also removes its extracted files. */
export type BundleSyncSource = SyncSource & { readonly manifest: BundleManifest };

/** Options of {@link openBundle}. */
export interface OpenBundleOptions {
  /** Where the bundle is extracted (a fresh folder inside it). @default the OS temp folder */
  readonly tempDir?: string;
}

/**
 * Verifies a bundle while extracting it to a temporary folder (every part's SHA-256 is checked
 * before the database is opened, so a truncated, altered or newer-format bundle is refused
 * before anything reaches a target), then opens its database as a {@link SyncSource}: the runs'
 * artifact URIs point at the extracted artifact files, and the station id is the exporting
 * station's. Give it to `syncLogbook` like any database. The extracted copy's sync state (id map,
 * cursor) is thrown away on close: importing the same bundle again is safe because the engine
 * finds what exists on the target by its provenance tags.
 *
 * @example
 * ```ts
 * const source = await openBundle('/media/usb/station-7.lbk');
 * try { await syncLogbook(source, target); } finally { await source.close(); }
 * ```
 */
export async function openBundle(file: string, options: OpenBundleOptions = {}): Promise<BundleSyncSource> {
  const reader = await BundleReader.open(file);
  const folder = await mkdtemp(join(options.tempDir ?? tmpdir(), 'logbook-bundle-'));
  try {
    try {
      await reader.extract(folder);
    } finally {
      await reader.close();
    }
    const dbFile = join(folder, DATABASE_PART);
    pointArtifactsAt(dbFile, join(folder, ARTIFACTS_PART_PREFIX));
    const source = await openSyncSource(dbFile);
    return withCleanup(source, reader.manifest, folder);
  } catch (error) {
    await rm(folder, { recursive: true, force: true });
    throw error;
  }
}

/** Rewrites each run's artifact URI to its extracted folder (a private copy: no seq is bumped). */
function pointArtifactsAt(dbFile: string, artifactsFolder: string): void {
  const db = new Database(dbFile);
  try {
    const runs = db.prepare('SELECT id, run_uuid AS uuid FROM runs').all() as { id: number; uuid: string }[];
    const update = db.prepare('UPDATE runs SET artifact_uri = ? WHERE id = ?');
    db.transaction(() => {
      for (const run of runs) update.run(pathToFileURL(join(artifactsFolder, run.uuid)).href, run.id);
    })();
  } finally {
    db.close();
  }
}

function withCleanup(source: SyncSource, manifest: BundleManifest, folder: string): BundleSyncSource {
  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= source.close().finally(() => rm(folder, { recursive: true, force: true }));
    return closing;
  };
  return new Proxy(source, {
    get(target, property) {
      if (property === 'close') return close;
      if (property === 'manifest') return manifest;
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  }) as BundleSyncSource;
}
