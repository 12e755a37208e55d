import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { syncLogbook } from '@logbook/core';
import type { SyncTarget } from '@logbook/core/spi';
import { buildSyncHistory, logPoints, metricSeries, snapshotLogbook } from '@logbook/testkit';
import type { SyncHistory } from '@logbook/testkit';
import { LocalArtifactStore, SqliteStore, exportBundle, openBundle, openSyncSource } from '../../src/index.js';
import { tempDir } from '../helpers.js';

interface Station {
  readonly store: SqliteStore;
  readonly tracking: SqliteStore;
  readonly registry: SqliteStore;
  readonly artifacts: LocalArtifactStore;
  readonly path: string;
}

function open(dir: string, name: string): Station {
  const path = join(dir, `${name}.db`);
  const store = new SqliteStore({ path, artifactRoot: join(dir, `${name}-artifacts`) });
  return { store, tracking: store, registry: store, artifacts: new LocalArtifactStore(), path };
}

describe('openBundle + syncLogbook (bundle -> SQLite hub)', () => {
  let dir: { dir: string; remove: () => void };
  let station: Station;
  let hub: Station;
  let target: SyncTarget;
  let history: SyncHistory;

  beforeEach(async () => {
    dir = tempDir('logbook-bundle-sync-');
    station = open(dir.dir, 'station');
    hub = open(dir.dir, 'hub');
    history = await buildSyncHistory(station, { prefix: 'air', points: 1500, artifactBytes: 2 * 1024 * 1024 });
    target = { id: `sqlite:${hub.path}`, tracking: hub.store, registry: hub.store, artifacts: hub.artifacts };
  });

  afterEach(async () => {
    await station.store.close();
    await hub.store.close();
    dir.remove();
  });

  async function importBundle(file: string) {
    const source = await openBundle(file);
    try {
      return await syncLogbook(source, target);
    } finally {
      await source.close();
    }
  }

  const same = async () => {
    const names = [...history.experimentNames];
    expect(await snapshotLogbook(hub, names, [history.modelName])).toEqual(await snapshotLogbook(station, names, [history.modelName]));
  };

  it('carries the whole history: the hub equals the station, field by field', async () => {
    const file = join(dir.dir, 'all.lbk');
    await exportBundle(station.path, file, { mode: 'all' });
    const report = await importBundle(file);
    expect(report.failures).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.created).toEqual({ experiment: 2, run: 5, registered_model: 1, model_version: 3 });
    await same();
  });

  it('importing the same bundle twice changes nothing the second time', async () => {
    const file = join(dir.dir, 'all.lbk');
    await exportBundle(station.path, file, { mode: 'all' });
    await importBundle(file);
    const hubSeq = async () => {
      const feed = await openSyncSource(hub.path);
      try {
        return await feed.currentSeq();
      } finally {
        await feed.close();
      }
    };
    const seqBefore = await hubSeq();
    const again = await importBundle(file);
    expect(again.ok).toBe(true);
    // Nothing changed on the hub, so nothing changed for the hub's own downstream sync either.
    expect(await hubSeq()).toBe(seqBefore);
    expect(again.created).toEqual({ experiment: 0, run: 0, registered_model: 0, model_version: 0 });
    // Same content, one copy: the snapshot keys runs by their provenance, so a duplicate differs.
    await same();
    expect((await hub.store.searchRuns({ experimentIds: [(await hub.store.getExperimentByName(history.experimentNames[0]!))!.experimentId] })).items).toHaveLength(4);
  });

  it('overlapping bundles, in any order, leave one copy of everything', async () => {
    const first = join(dir.dir, '1.lbk');
    await exportBundle(station.path, first);
    await logPoints(station.store, history.sweepRunIds[1]!, metricSeries('loss', 2000, 1_700_000_000_000 + 20_000_000, 1).slice(1500));
    const extra = await station.store.createRun({ experimentId: history.experimentId, runName: 'late', startTime: 1_700_100_000_000 });
    await station.store.logBatch(extra.info.runId, { params: [{ key: 'p', value: '1' }] });
    const second = join(dir.dir, '2.lbk');
    const everything = join(dir.dir, 'all.lbk');
    // The run with new points, its sweep parent (a parent row it needs) and the new run.
    expect((await exportBundle(station.path, second)).counts.runs).toBe(3);
    await exportBundle(station.path, everything, { mode: 'all' });

    await importBundle(first);
    expect((await importBundle(everything)).created.run).toBe(1);
    const late = await importBundle(second);
    expect(late.ok).toBe(true);
    expect(late.created.run).toBe(0);
    expect((await importBundle(first)).created.run).toBe(0);
    await same();
  });

  it('a version edited on the hub is a conflict at the next bundle, not overwritten; an unedited one updates', async () => {
    const first = join(dir.dir, '1.lbk');
    await exportBundle(station.path, first, { mode: 'all' });
    expect((await importBundle(first)).created.model_version).toBe(3);
    const name = history.modelName;
    // Hub versions by the station's local id (the hub numbers them itself).
    const onHub = async (local: string) => {
      const page = await hub.store.searchModelVersions({ filter: `name = '${name}'`, maxResults: 100 });
      const found = page.items.find((v) => v.tags['logbook.sync.local_id'] === `${name}/${local}`);
      expect(found).toBeDefined();
      return found!;
    };
    const edited = await onHub('1');
    await hub.store.updateModelVersion(name, edited.version, { description: 'hub: retrained on set B \u{1F9EA}' });

    await station.store.updateModelVersion(name, '1', { description: 'station: v1 notes' });
    await station.store.updateModelVersion(name, '2', { description: 'station: v2 notes' });
    await station.store.setModelVersionTag(name, '2', 'reviewed', 'yes');
    const second = join(dir.dir, '2.lbk');
    await exportBundle(station.path, second);
    const report = await importBundle(second);

    expect(report.conflicts.map((c) => [c.kind, c.localId])).toEqual([['model_version', `${name}/1`]]);
    expect((await onHub('1')).description).toBe('hub: retrained on set B \u{1F9EA}');
    const updated = await onHub('2');
    expect(updated.description).toBe('station: v2 notes');
    expect(updated.tags['reviewed']).toBe('yes');
    // Importing it again: still a conflict for the edited version, still nothing overwritten.
    const again = await importBundle(second);
    expect(again.conflicts.map((c) => c.localId)).toEqual([`${name}/1`]);
    expect((await onHub('1')).description).toBe('hub: retrained on set B \u{1F9EA}');
  });
});
