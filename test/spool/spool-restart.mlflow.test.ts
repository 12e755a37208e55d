// The spool against a real MLflow server (PostgreSQL backend, proxied artifacts) that this file
// starts, stops and starts again on the same port — no proxy: the process is gone while "down".
// What the spool delivered is read back through MLflow's own Python client (the pinned venv).
import 'reflect-metadata';
import '../../packages/sqlite/src/index.js';
import '../../packages/mlflow/src/index.js';
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { RunStatus, createLogbook } from '../../packages/core/src/index.js';
import type { Logbook } from '../../packages/core/src/index.js';
import { MlflowServer, MlflowStore } from '../../packages/mlflow/src/index.js';
import { uniqueName } from '../../packages/testkit/src/index.js';
import { describeLive } from '../../packages/mlflow/test/helpers/live.js';
import { readRun } from './support/python-read-run.js';

const run = promisify(execFile);
const pg = { host: process.env.PGHOST ?? '127.0.0.1', port: process.env.PGPORT ?? '5432', user: process.env.PGUSER ?? 'postgres' };
const psql = (sql: string) => run('psql', ['-h', pg.host, '-p', pg.port, '-U', pg.user, '-v', 'ON_ERROR_STOP=1', '-q', '-d', 'postgres', '-c', sql], { timeout: 60_000 });

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i);
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

async function until(check: () => boolean | Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out waiting until ${what}`);
}

let dir: string;
let database: string;
let server: MlflowServer;
let port: number;
let uri: string;
const logbooks: Logbook[] = [];
const errors: { code?: string; message: string }[] = [];

async function logbook(spoolName: string): Promise<Logbook> {
  const lb = await createLogbook(
    {
      trackingUri: uri,
      spool: { path: join(dir, spoolName), failoverMs: 1500 },
      http: { maxRetries: 2 },
      logging: { flushIntervalMs: 100, drainOnExit: false },
    },
    { env: {}, cwd: dir, onError: (e) => errors.push(e as { code?: string; message: string }), spoolTiming: { probeIntervalMs: 200, maxProbeIntervalMs: 500, drainDelayMs: 100 } },
  );
  logbooks.push(lb);
  return lb;
}

/** Until the spool has delivered everything this logbook wrote to it. */
const delivered = (lb: Logbook) =>
  until(() => {
    const s = lb.stats().spool;
    return s !== undefined && !s.active && s.drains > 0 && s.pendingWrites === 0;
  }, 'the spool drained');

describeLive('the spool with a real MLflow server stopped and started again', () => {
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'logbook-spool-restart-'));
    database = `logbook_spool_${randomBytes(5).toString('hex')}`;
    await psql(`CREATE DATABASE ${database}`);
    server = new MlflowServer({ workers: 1, maxRestarts: 0, stopTimeoutMs: 5000 })
      .setupDatabaseBackend(`postgresql://${pg.user}@${pg.host}:${pg.port}/${database}`)
      .configureArtifactStore({ kind: 'local', directory: join(dir, 'server-artifacts') });
    port = await freePort();
    uri = `http://127.0.0.1:${port}`;
  }, 60_000);

  afterAll(async () => {
    await Promise.all(logbooks.map((lb) => lb.close().catch(() => undefined)));
    await server?.stop();
    await psql(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`).catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it('a run started before the server exists: points, artifacts (a 3 MB file, non-BMP names) and a registered version reach it once', async () => {
    const lb = await logbook('offline-spool.db');
    const experiment = uniqueName('spool-real-offline');
    const experimentId = await lb.tracker.getOrCreateExperiment(experiment);
    expect(experimentId).toMatch(/^spool-/);
    const runId = await lb.tracker.startRun(experimentId, 'offline-run');
    lb.tracker.logParameters({ lr: 0.01, note: 'ngc-🌌' }, runId);
    for (let step = 0; step < 2500; step++) lb.tracker.logMetric('loss', 1 / (step + 1), step, runId);
    const weights = randomBytes(3 << 20);
    const weightsPath = join(dir, 'weights.bin');
    writeFileSync(weightsPath, weights);
    const notes = Buffer.from('M31 🌌 Andromeda');
    await lb.tracker.logArtifacts({ 'model/weights.bin': weightsPath, 'notes/𝔤𝔞𝔩𝔞𝔵𝔶.txt': notes }, runId);
    // Registry calls are not spooled: at once a retryable error, also through the error handler.
    const model = uniqueName('spool-unet');
    await expect(lb.registry.registerModel(`runs:/${runId}/model`, model, runId)).rejects.toMatchObject({ code: 'TEMPORARILY_UNAVAILABLE' });
    expect(errors.some((e) => e.code === 'TEMPORARILY_UNAVAILABLE' && /registry calls are not spooled/.test(e.message))).toBe(true);
    await lb.tracker.endRun(runId);

    await server.startTrackingServer('127.0.0.1', port);
    await delivered(lb);
    const mlflow = new MlflowStore({ trackingUri: uri });
    const remoteExperiment = await mlflow.getExperimentByName(experiment);
    const remoteRuns = (await mlflow.searchRuns({ experimentIds: [remoteExperiment!.experimentId] })).items;
    await mlflow.close();
    expect(remoteRuns).toHaveLength(1);
    const remoteId = remoteRuns[0]!.info.runId;

    // A version of the spooled run, registered now that the server answers: the server's run id.
    const version = await lb.registry.registerModel(`runs:/${runId}/model`, model, runId);
    expect(version).toMatchObject({ version: '1', runId: remoteId, source: `runs:/${remoteId}/model` });
    await lb.registry.transitionModelStage(model, '1', 'Staging');
    await lb.registry.setAlias(model, 'champion', '1');

    // Keyed by its logbook.sync.local_id: the server run the drain created for the spool run.
    const seen = await readRun(uri, experiment, runId, [model]);
    expect(seen).toMatchObject({ runName: 'offline-run', status: 'FINISHED', runsInExperiment: 1, params: { lr: '0.01', note: 'ngc-🌌' } });
    expect(seen.steps).toEqual({ loss: range(2500) });
    expect(seen.artifacts).toEqual({ 'model/weights.bin': sha256(weights), 'notes/𝔤𝔞𝔩𝔞𝔵𝔶.txt': sha256(notes) });
    // The version's run is that server run (its source in the snapshot is keyed the same way).
    expect(seen.snapshot.models[model]).toMatchObject({
      aliases: { champion: `${model}/1` },
      versions: { [`${model}/1`]: { stage: 'Staging', run: runId, source: `runs:/${runId}/model` } },
    });
  }, 150_000);

  it('a server run another process started, written while the server is stopped: the drain adds to that very run', async () => {
    if (server.uri === undefined || (await server.status()).healthy !== true) await server.startTrackingServer('127.0.0.1', port);
    const experiment = uniqueName('spool-real-resume');
    const other = new MlflowStore({ trackingUri: uri });
    const otherExperiment = await other.createExperiment({ name: experiment });
    const started = await other.createRun({ experimentId: otherExperiment, runName: 'started-elsewhere' });
    const runId = started.info.runId;
    await other.logBatch(runId, { metrics: range(100).map((step) => ({ key: 'loss', value: step, step, timestamp: 1000 + step })) });
    await other.close();

    await server.stop();
    const lb = await logbook('resume-spool.db');
    for (let step = 100; step < 1600; step++) lb.tracker.logMetric('loss', step, step, runId);
    lb.tracker.setTags({ resumed: 'yes' }, runId);
    await lb.tracker.flush(runId);
    expect(lb.stats()).toMatchObject({ failed: 0, dropped: 0 });
    expect(lb.stats().spool).toMatchObject({ active: true });
    await lb.tracker.logArtifacts({ 'eval/report.txt': Buffer.from('resumed while down') }, runId);
    await lb.tracker.endRun(runId, RunStatus.FINISHED);

    await server.startTrackingServer('127.0.0.1', port);
    await delivered(lb);
    const seen = await readRun(uri, experiment, runId);
    expect(seen).toMatchObject({ runName: 'started-elsewhere', status: 'FINISHED', runsInExperiment: 1 });
    expect(seen.endTime).toEqual(expect.any(Number));
    expect(seen.tags).toMatchObject({ resumed: 'yes', 'mlflow.runName': 'started-elsewhere' });
    // The snapshot drops only the two provenance tags: no stand-in tag reached the server either.
    expect(Object.keys(seen.tags).filter((k) => k.startsWith('logbook.'))).toEqual([]);
    expect(seen.steps).toEqual({ loss: range(1600) });
    expect(seen.artifacts).toEqual({ 'eval/report.txt': sha256(Buffer.from('resumed while down')) });
    const check = new MlflowStore({ trackingUri: uri });
    const names = (await check.searchExperiments({ maxResults: 1000 })).items.map((e) => e.name);
    await check.close();
    expect(names.filter((name) => name.startsWith('logbook-spool'))).toEqual([]);
  }, 150_000);
});
