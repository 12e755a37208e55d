// `logbook sync` and `logbook bundle` end to end against the live MLflow server (PostgreSQL
// backend): a SQLite station pushed directly and through a bundle, read back and compared field
// by field; dry run, status, re-imports, damaged bundles and refused credentials write nothing.
import '@logbook/mlflow';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createLogbook } from '@logbook/core';
import type { Logbook, SyncStatus } from '@logbook/core';
import { LocalArtifactStore, SqliteStore } from '@logbook/sqlite';
import { buildSyncHistory, logPoints, metricSeries, snapshotLogbook, uniqueName } from '../../testkit/src/index.js';
import type { SyncHistory } from '../../testkit/src/index.js';
import { readMlflowSnapshot } from '../../../test/sync/mlflow-snapshot.js';
import { ExitCode } from '../src/index.js';
import { cli } from './fixture.js';

const server = inject('mlflow');
const describeLive = (server === null ? describe.skip : describe) as typeof describe;

interface Station {
  readonly path: string;
  readonly store: SqliteStore;
  readonly stores: { tracking: SqliteStore; registry: SqliteStore; artifacts: LocalArtifactStore };
  readonly history: SyncHistory;
}

describeLive('logbook sync / bundle -> live MLflow', () => {
  const uri = server?.uri ?? '';
  let dir: string;
  let mlflow: Logbook;

  async function station(name: string, points = 400): Promise<Station> {
    const path = join(dir, `${name}.db`);
    const store = new SqliteStore({ path, artifactRoot: join(dir, `${name}-artifacts`) });
    const stores = { tracking: store, registry: store, artifacts: new LocalArtifactStore() };
    const history = await buildSyncHistory(stores, { prefix: uniqueName(name), points, artifactBytes: 256 * 1024 });
    return { path, store, stores, history };
  }

  const onServer = (s: Station) => snapshotLogbook(mlflow.stores, s.history.experimentNames, [s.history.modelName]);
  const atStation = (s: Station) => snapshotLogbook(s.stores, s.history.experimentNames, [s.history.modelName]);
  const absent = async (s: Station) => {
    for (const name of s.history.experimentNames) expect(await mlflow.stores.tracking.getExperimentByName(name)).toBeUndefined();
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'logbook-cli-sync-live-'));
    mlflow = await createLogbook({ trackingUri: uri }, { env: {} });
  });

  afterAll(async () => {
    await mlflow?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("--dry-run writes nothing; sync pushes everything (read back by MLflow's Python client); status shows the map", async () => {
    const s = await station('cli-direct');
    try {
      const dry = await cli(['sync', '--from', s.path, '--to', uri, '--dry-run']);
      expect(dry.code, dry.stderr).toBe(0);
      expect(dry.stdout).toMatch(/dry run: nothing was written/);
      await absent(s);

      const out = await cli(['sync', '--from', s.path, '--to', uri]);
      expect(out.code, out.stderr).toBe(0);
      expect(out.stdout).toMatch(/created\s+experiments 2, runs 5, registered models 1, model versions 3/);
      expect(await readMlflowSnapshot(uri, s.history.experimentNames, [s.history.modelName])).toEqual(await atStation(s));

      const status = await cli(['--json', 'sync', 'status', '--from', s.path, '--to', `${uri}/`]);
      expect(status.code, status.stderr).toBe(0);
      const [st] = JSON.parse(status.stdout) as SyncStatus[];
      expect(st).toMatchObject({ targetId: uri, backlog: { runs: 0, points: 0, bytes: 0 } });
      expect(st!.lastSuccessAt).toBeGreaterThan(0);
      const runMap = st!.mappings.filter((m) => m.kind === 'run');
      expect(runMap).toHaveLength(5);

      // New points on a run: the backlog shows them, the next sync sends only them.
      await logPoints(s.store, s.history.sweepRunIds[0]!, metricSeries('loss', 600, 1_800_000_000_000, 3).slice(400));
      const pending = JSON.parse((await cli(['--json', 'sync', 'status', '--from', s.path, '--to', uri])).stdout) as SyncStatus[];
      expect(pending[0]!.backlog).toMatchObject({ runs: 1, points: 200 });
      const more = await cli(['--json', 'sync', '--from', s.path, '--to', uri]);
      expect(more.code).toBe(0);
      expect(JSON.parse(more.stdout)).toMatchObject({ ok: true, points: 200 });
      expect(await onServer(s)).toEqual(await atStation(s));
    } finally {
      await s.store.close();
    }
  }, 240_000);

  it('bundle: export, verify, sync --from the bundle; the same and overlapping bundles again change nothing', async () => {
    const s = await station('cli-bundle');
    try {
      const first = join(dir, 'first.lbk');
      expect((await cli(['--tracking-uri', s.path, 'bundle', 'export', '--out', first])).code).toBe(0);
      expect((await cli(['bundle', 'verify', first])).code).toBe(0);
      const pushed = await cli(['sync', '--from', first, '--to', uri]);
      expect(pushed.code, pushed.stderr).toBe(0);
      expect(await readMlflowSnapshot(uri, s.history.experimentNames, [s.history.modelName])).toEqual(await atStation(s));

      await logPoints(s.store, s.history.sweepRunIds[1]!, metricSeries('loss', 500, 1_900_000_000_000, 5));
      const second = join(dir, 'second.lbk');
      const all = join(dir, 'all.lbk');
      expect((await cli(['--tracking-uri', s.path, 'bundle', 'export', '--out', second, '--since-last-export'])).code).toBe(0);
      expect((await cli(['--tracking-uri', s.path, 'bundle', 'export', '--out', all, '--all'])).code).toBe(0);
      for (const file of [all, second, first, all]) {
        const again = await cli(['--json', 'sync', '--from', file, '--to', uri]);
        expect(again.code, again.stderr).toBe(0);
        expect(JSON.parse(again.stdout)).toMatchObject({ ok: true, created: { experiment: 0, run: 0, registered_model: 0, model_version: 0 } });
      }
      // One copy of every run and version, all points once.
      expect(await onServer(s)).toEqual(await atStation(s));
    } finally {
      await s.store.close();
    }
  }, 240_000);

  it('a truncated, altered or newer-format bundle is refused before anything is written', async () => {
    const s = await station('cli-badbundle', 100);
    try {
      const file = join(dir, 'bad-source.lbk');
      expect((await cli(['--tracking-uri', s.path, 'bundle', 'export', '--out', file])).code).toBe(0);
      const bytes = await readFile(file);
      const altered = Buffer.from(bytes);
      altered[Math.floor(altered.length / 2)] ^= 0x01;
      const newer = Buffer.from(bytes);
      newer.writeUInt32BE(99, 16);
      const cases: [string, Buffer, RegExp][] = [
        ['truncated', bytes.subarray(0, bytes.length - 1), /truncated/],
        ['altered', altered, /altered/],
        ['newer', newer, /newer Logbook/],
      ];
      for (const [name, content, message] of cases) {
        const path = join(dir, `${name}.lbk`);
        await writeFile(path, content);
        const verify = await cli(['bundle', 'verify', path]);
        expect(verify.code).toBe(ExitCode.BACKEND_UNAVAILABLE);
        expect(verify.stderr).toMatch(message);
        const out = await cli(['sync', '--from', path, '--to', uri]);
        expect(out.code).toBe(ExitCode.BACKEND_UNAVAILABLE);
        expect(out.stderr).toMatch(message);
      }
      await absent(s);
    } finally {
      await s.store.close();
    }
  }, 120_000);

  it('a server that refuses the credentials: exit 4, one line, nothing written; the right ones work', async () => {
    // The basic-auth server checks a password hash per request (slow): a one-run station.
    const path = join(dir, 'cli-auth.db');
    const store = new SqliteStore({ path });
    const experimentName = uniqueName('cli-auth');
    const run = await store.createRun({ experimentId: await store.createExperiment({ name: experimentName }), runName: 'only' });
    await logPoints(store, run.info.runId, metricSeries('loss', 20, 1_700_000_000_000, 1));
    await store.close();
    const auth = server!.authUri;
    const refused = await cli(['sync', '--from', path, '--to', auth], { env: { MLFLOW_TRACKING_USERNAME: 'intruder', MLFLOW_TRACKING_PASSWORD: 'wrong' } });
    expect(refused.code).toBe(ExitCode.BACKEND_UNAVAILABLE);
    expect(refused.stderr).toMatch(/unauthenticated/);
    expect(refused.stderr).not.toContain('wrong');
    const admin = await createLogbook({ trackingUri: auth, credentials: server!.admin }, { env: {} });
    try {
      expect(await admin.stores.tracking.getExperimentByName(experimentName)).toBeUndefined();
      const ok = await cli(['sync', '--from', path, '--to', auth], { env: { MLFLOW_TRACKING_USERNAME: server!.admin.username, MLFLOW_TRACKING_PASSWORD: server!.admin.password } });
      expect(ok.code, ok.stderr).toBe(0);
      const experiment = await admin.stores.tracking.getExperimentByName(experimentName);
      const runs = await admin.stores.tracking.searchRuns({ experimentIds: [experiment!.experimentId] });
      expect(runs.items.map((r) => [r.info.runName, r.data.tags['logbook.sync.local_id']])).toEqual([['only', run.info.runId]]);
    } finally {
      await admin.close();
    }
  }, 180_000);
});
