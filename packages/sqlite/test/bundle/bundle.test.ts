import { open, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { buildStation, logPoints } from '../../../../test/sync/station-history.js';
import { BUNDLE_FORMAT_VERSION, SqliteStore, exportBundle, openBundle, verifyBundle } from '../../src/index.js';
import { errorCode, useTempDir } from '../helpers.js';

function stationIdOf(dbPath: string): string {
  const db = new Database(dbPath, { readonly: true });
  try {
    return (db.prepare('SELECT station_id AS id FROM sync_station').get() as { id: string }).id;
  } finally {
    db.close();
  }
}

async function damage(file: string, at: 'middle' | 'manifest'): Promise<void> {
  const { size } = await stat(file);
  const handle = await open(file, 'r+');
  try {
    const position = at === 'middle' ? Math.floor(size / 3) : size - 64 - 20;
    const byte = Buffer.alloc(1);
    await handle.read(byte, 0, 1, position);
    byte[0] = byte[0]! ^ 0xff;
    await handle.write(byte, 0, 1, position);
  } finally {
    await handle.close();
  }
}

describe('exportBundle', () => {
  const dir = useTempDir('logbook-bundle-');

  it('writes every changed entity, the artifacts and a manifest with the station id and seq range', async () => {
    const db = join(dir(), 'station.db');
    const history = await buildStation(db, { prefix: 'b1', runs: 2, children: 1, pointsPerMetric: 40, model: 'b1-model' });
    const out = join(dir(), 'usb', 'trip-1', 'station.lbk'); // parent folders are created
    const manifest = await exportBundle(db, out, { mode: 'all' });
    expect(manifest.formatVersion).toBe(BUNDLE_FORMAT_VERSION);
    expect(manifest.stationId).toBe(stationIdOf(db));
    expect(manifest.seq.from).toBe(0);
    expect(manifest.counts).toMatchObject({ runs: history.runIds.length, metrics: history.points, registeredModels: 1, modelVersions: 2 });
    // Two artifacts per top-level run.
    expect(manifest.counts.artifacts).toBe(4);
    expect(manifest.parts.map((p) => p.name)).toContain('logbook.db');
    expect(await verifyBundle(out)).toEqual(manifest);
  });

  it('opens as a sync source with the same station id, runs and artifact bytes', async () => {
    const db = join(dir(), 'station.db');
    const history = await buildStation(db, { prefix: 'b2', runs: 1, children: 1, artifactBytes: 3 * 1024 * 1024 + 7 });
    const out = join(dir(), 'b2.lbk');
    await exportBundle(db, out);
    const source = await openBundle(out);
    try {
      expect(source.stationId).toBe(stationIdOf(db));
      const refs = await source.changedRuns('target', 0, 0, 100);
      expect(refs.map((r) => r.runId).sort()).toEqual([...history.runIds].sort());
      const top = await source.readRun(history.runIds[0]!);
      expect(top?.params['unicode']).toBe('température 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 🚀');
      const files = await source.artifacts.list(top!.artifactUri, 'model');
      expect(files).toEqual([expect.objectContaining({ path: 'model/weights.bin', fileSize: 3 * 1024 * 1024 + 7 })]);
      const original = new SqliteStore({ path: db });
      const localUri = (await original.getRun(history.runIds[0]!)).info.artifactUri;
      await original.close();
      const download = await source.artifacts.get(top!.artifactUri, 'model/weights.bin');
      const chunks: Buffer[] = [];
      for await (const chunk of download.stream) chunks.push(chunk as Buffer);
      expect(Buffer.concat(chunks).equals(await readFile(join(new URL(localUri).pathname, 'model', 'weights.bin')))).toBe(true);
    } finally {
      await source.close();
    }
  });

  it('--since-last-export carries only what changed since the previous bundle', async () => {
    const db = join(dir(), 'station.db');
    const history = await buildStation(db, { prefix: 'b3', runs: 2, children: 0, pointsPerMetric: 20 });
    const first = await exportBundle(db, join(dir(), '1.lbk'));
    expect(first.counts.runs).toBe(2);
    const empty = await exportBundle(db, join(dir(), '2.lbk'));
    expect(empty.seq).toEqual({ from: first.seq.to, to: first.seq.to });
    expect(empty.counts).toMatchObject({ runs: 0, metrics: 0, experiments: 0, artifacts: 0 });
    const store = new SqliteStore({ path: db });
    const added = await logPoints(store, history.runIds[1]!, 20, 25);
    await store.close();
    const third = await exportBundle(db, join(dir(), '3.lbk'));
    expect(third.seq.from).toBe(first.seq.to);
    expect(third.counts).toMatchObject({ runs: 1, metrics: added, experiments: 1 });
    // --all still exports everything.
    expect((await exportBundle(db, join(dir(), 'all.lbk'), { mode: 'all' })).counts.runs).toBe(2);
  });

  it('--experiment limits the bundle to those experiments', async () => {
    const db = join(dir(), 'station.db');
    const history = await buildStation(db, { prefix: 'b4', experiments: 2, runs: 1, children: 0 });
    const manifest = await exportBundle(db, join(dir(), 'one.lbk'), { experimentNames: [history.experimentNames[1]!] });
    expect(manifest.counts).toMatchObject({ runs: 1, experiments: 1 });
    expect(manifest.experimentNames).toEqual([history.experimentNames[1]]);
  });

  it('refuses a missing database and never creates one', async () => {
    expect(await errorCode(exportBundle(join(dir(), 'none.db'), join(dir(), 'x.lbk')))).toBe('RESOURCE_DOES_NOT_EXIST');
  });
});

describe('verifyBundle', () => {
  const dir = useTempDir('logbook-bundle-');

  async function bundle(): Promise<string> {
    const db = join(dir(), 'station.db');
    await buildStation(db, { prefix: 'v', runs: 1, children: 0, artifactBytes: 200_000 });
    const out = join(dir(), 'v.lbk');
    await exportBundle(db, out);
    return out;
  }

  it('refuses a truncated bundle (DATA_LOSS), and openBundle extracts nothing', async () => {
    const file = await bundle();
    const bytes = await readFile(file);
    for (const cut of [bytes.length - 1, Math.floor(bytes.length / 2), 30]) {
      const truncated = join(dir(), `cut-${cut}.lbk`);
      await writeFile(truncated, bytes.subarray(0, cut));
      expect(await errorCode(verifyBundle(truncated))).toBe('DATA_LOSS');
      expect(await errorCode(openBundle(truncated))).toBe('DATA_LOSS');
    }
  });

  it('refuses an altered part or manifest (DATA_LOSS naming the part)', async () => {
    const file = await bundle();
    await damage(file, 'middle');
    await expect(verifyBundle(file)).rejects.toMatchObject({ code: 'DATA_LOSS', message: expect.stringMatching(/^\[sqlite\] Bundle .*altered/) });
    const other = await bundle();
    await damage(other, 'manifest');
    await expect(verifyBundle(other)).rejects.toMatchObject({ code: 'DATA_LOSS', field: 'manifest.json' });
  });

  it('refuses a newer format (SCHEMA_TOO_NEW) and a file that is not a bundle', async () => {
    const file = await bundle();
    const bytes = await readFile(file);
    bytes.writeUInt32BE(BUNDLE_FORMAT_VERSION + 1, 16);
    await writeFile(file, bytes);
    await expect(verifyBundle(file)).rejects.toMatchObject({ code: 'SCHEMA_TOO_NEW', message: expect.stringContaining('newer Logbook') });
    const notBundle = join(dir(), 'station.db');
    expect(await errorCode(verifyBundle(notBundle))).toBe('INVALID_PARAMETER_VALUE');
  });
});
