// The spool against a live MLflow server behind a proxy the tests switch off and on: training
// processes (real child processes running fixtures/trainer.ts) lose the server, go on, and every
// point reaches MLflow exactly once through the spool and its drainer.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { httpTargetId } from '../../packages/core/src/index.js';
import type { LogbookStats, SyncStatus } from '../../packages/core/src/index.js';
import { MlflowStore } from '../../packages/mlflow/src/index.js';
import { openSyncSource } from '../../packages/sqlite/src/index.js';
import { uniqueName } from '../../packages/testkit/src/index.js';
import { describeLive, live } from '../../packages/mlflow/test/helpers/live.js';
import { prepareChildPackages } from './support/child-packages.js';
import type { ChildPackages } from './support/child-packages.js';
import { readRun } from './support/python-read-run.js';
import { SwitchProxy } from './support/switch-proxy.js';
import { jsonOf, startTrainer } from './support/trainer-child.js';
import type { TrainerChild } from './support/trainer-child.js';

let packages: ChildPackages;
let script: string;
let mlflow: MlflowStore;
const proxies: SwitchProxy[] = [];
const children: TrainerChild[] = [];
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const range = (n: number) => Array.from({ length: n }, (_, i) => i);

type Stats = LogbookStats;
const stats = (line: string, skip = 1): Stats => jsonOf<Stats>(line, skip);
const epochStats = (line: string): Stats | undefined => (line.startsWith('epoch ') ? stats(line, 2) : undefined);

async function proxy(up = true): Promise<SwitchProxy> {
  const p = await SwitchProxy.start(live().uri, { up });
  proxies.push(p);
  return p;
}

/** The children's settings: short failover and probes, frequent flushes, a 3 s exit drain. */
function env(uri: string, spoolPath: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    LOGBOOK_TRACKING_URI: uri,
    LOGBOOK_SPOOL_PATH: spoolPath,
    LOGBOOK_SPOOL_FAILOVER_MS: '1500',
    LOGBOOK_HTTP_MAX_RETRIES: '2',
    LOGBOOK_FLUSH_INTERVAL_MS: '100',
    LOGBOOK_EXIT_DRAIN_TIMEOUT_MS: '3000',
    LOGBOOK_LOG_LEVEL: 'silent',
    ...extra,
  };
}

function trainer(mode: string, experiment: string, vars: Record<string, string>): TrainerChild {
  const child = startTrainer(script, mode, experiment, vars);
  children.push(child);
  return child;
}

/** Every step of a metric on the server (all pages), sorted. */
async function steps(runId: string, key: string): Promise<number[]> {
  const out: number[] = [];
  let pageToken: string | undefined;
  do {
    const page = await mlflow.getMetricHistory(runId, key, { maxResults: 25_000, ...(pageToken === undefined ? {} : { pageToken }) });
    out.push(...page.items.map((m) => m.step));
    pageToken = page.nextPageToken;
  } while (pageToken !== undefined);
  return out.sort((a, b) => a - b);
}

/** The server's runs of an experiment by name (none when it does not exist yet). */
async function remoteRuns(experiment: string) {
  const exp = await mlflow.getExperimentByName(experiment);
  return exp === undefined ? [] : (await mlflow.searchRuns({ experimentIds: [exp.experimentId] })).items;
}

async function spoolStatus(path: string, uri: string): Promise<SyncStatus> {
  const source = await openSyncSource(path);
  try {
    return await source.status(httpTargetId(uri));
  } finally {
    await source.close();
  }
}

/**
 * Mode `exit`: the server goes away, the script logs 3000 more points and returns without
 * close(). The process must end by itself (a guard kills it after a minute); resolves with its
 * logger's counters at exit.
 */
async function loseServerAndReturn(child: TrainerChild, server: SwitchProxy): Promise<Stats> {
  await server.down();
  child.send('go');
  await child.line((l) => l === 'returned');
  const guard = setTimeout(() => child.process.kill('SIGKILL'), 60_000);
  const { code, signal } = await child.exited;
  clearTimeout(guard);
  expect({ code, signal }).toEqual({ code: 0, signal: null });
  return stats(await child.line((l) => l.startsWith('exit ')));
}

describeLive('the spool (MLflow down never stops training)', () => {
  beforeAll(() => {
    packages = prepareChildPackages();
    script = packages.script('trainer.js', readFileSync(new URL('./fixtures/trainer.ts', import.meta.url), 'utf8'));
    mlflow = new MlflowStore({ trackingUri: live().uri });
  });

  afterAll(async () => {
    for (const c of children) c.process.kill('SIGKILL');
    await Promise.all(proxies.map((p) => p.close()));
    await mlflow?.close();
    packages?.remove();
  });

  it('a decorated run whose server is down for 30 s finishes without an exception; every point reaches MLflow once', async () => {
    const server = await proxy();
    const experiment = uniqueName('spool-outage');
    const child = trainer('train', experiment, env(server.uri, join(packages.dir, 'outage-spool.db')));
    const runId = (await child.line((l) => l.startsWith('run '))).split(' ')[1]!;
    await child.line((l) => l.startsWith('epoch 20 '));
    await server.down();
    const downAt = Date.now();
    // Training goes on: the spool takes the writes (the breaker opens, nothing waits any more).
    await child.line((l) => epochStats(l)?.spool?.active === true && epochStats(l)!.spooled > 0);
    await sleep(Math.max(0, 30_000 - (Date.now() - downAt)));
    await server.up();
    // The server answers again: the breaker closes and the drainer delivers the spool.
    await child.line((l) => {
      const s = epochStats(l);
      return s?.spool?.active === false && s.spool.drains > 0;
    });
    child.send('stop');
    const epochs = Number((await child.line((l) => l.startsWith('trained '))).split(' ')[1]);
    child.send('close');
    const closed = stats(await child.line((l) => l.startsWith('closed ')));
    expect((await child.exited).code).toBe(0);

    expect(closed).toMatchObject({ buffered: 0, failed: 0, dropped: 0, rejected: 0 });
    expect(closed.spooled).toBeGreaterThan(0);
    expect(closed.spool).toMatchObject({ active: false, pendingWrites: 0 });
    expect(await steps(runId, 'train.loss')).toEqual(range(epochs));
    expect(await steps(runId, 'train.acc')).toEqual(range(epochs));
    expect(await steps(runId, 'batch_loss')).toEqual(range(epochs * 10));
    const run = await mlflow.getRun(runId);
    expect(run.info).toMatchObject({ status: 'FINISHED', runName: 'spool-run' });
    expect(run.data.params).toEqual({ learningRate: '0.001' });
    expect(await remoteRuns(experiment)).toHaveLength(1);
    // What MLflow's own Python client sees: the same points, once each.
    const seen = await readRun(live().uri, experiment, runId);
    expect(seen).toMatchObject({ status: 'FINISHED', runsInExperiment: 1, params: { learningRate: '0.001' } });
    expect(seen.steps).toEqual({ batch_loss: range(epochs * 10), 'train.acc': range(epochs), 'train.loss': range(epochs) });
    // The error handler saw the takeover, and nothing else.
    const errors = child.lines.filter((l) => l.startsWith('error ')).map((l) => jsonOf<{ code: string; message: string }>(l));
    expect(errors.length).toBeGreaterThan(0);
    for (const e of errors) expect(e).toMatchObject({ code: 'TEMPORARILY_UNAVAILABLE', message: expect.stringMatching(/writes go to the spool/) });
  }, 150_000);

  it('a run started while the server is unreachable trains in the spool; the drainer pushes it when the server comes up', async () => {
    const server = await proxy(false);
    const experiment = uniqueName('spool-start-down');
    const child = trainer('train', experiment, env(server.uri, join(packages.dir, 'start-down-spool.db')));
    const localId = (await child.line((l) => l.startsWith('run '))).split(' ')[1]!;
    const during = epochStats(await child.line((l) => l.startsWith('epoch 30 ')))!;
    expect(during.spool).toMatchObject({ active: true });
    child.send('stop');
    const epochs = Number((await child.line((l) => l.startsWith('trained '))).split(' ')[1]);
    expect(await remoteRuns(experiment)).toEqual([]);
    await server.up();
    // The process is still alive: its background drainer delivers the whole run.
    let runs = await remoteRuns(experiment);
    for (let i = 0; i < 300 && (runs.length === 0 || runs[0]!.info.status !== 'FINISHED'); i++) {
      await sleep(200);
      runs = await remoteRuns(experiment);
    }
    expect(runs).toHaveLength(1);
    const run = runs[0]!;
    expect(run.info).toMatchObject({ status: 'FINISHED', runName: 'spool-run' });
    expect(run.data.params).toEqual({ learningRate: '0.001' });
    expect(run.data.tags['logbook.sync.local_id']).toBe(localId);
    expect(await steps(run.info.runId, 'batch_loss')).toEqual(range(epochs * 10));
    expect(await steps(run.info.runId, 'train.loss')).toEqual(range(epochs));
    expect((await readRun(live().uri, experiment, localId)).steps).toEqual({ batch_loss: range(epochs * 10), 'train.acc': range(epochs), 'train.loss': range(epochs) });
    child.send('close');
    const closed = stats(await child.line((l) => l.startsWith('closed ')));
    expect(closed).toMatchObject({ failed: 0, dropped: 0, buffered: 0, flushed: 0 });
    expect(closed.spool!.drains).toBeGreaterThan(0);
    expect((await child.exited).code).toBe(0);
  }, 120_000);

  it('a training process SIGKILLed while the server is down: the next process opening the spool drains it, every point once', async () => {
    const server = await proxy();
    const experiment = uniqueName('spool-killed');
    const spoolPath = join(packages.dir, 'killed-spool.db');
    const first = trainer('train', experiment, env(server.uri, spoolPath));
    const runId = (await first.line((l) => l.startsWith('run '))).split(' ')[1]!;
    await first.line((l) => l.startsWith('epoch 10 '));
    await server.down();
    await first.line((l) => (epochStats(l)?.spooled ?? 0) >= 200);
    // A checkpoint file logged while the server is down goes to the spool's artifact folder.
    first.send('artifact');
    const checkpointEpoch = (await first.line((l) => l.startsWith('artifact '))).split(' ')[1]!;
    const last = epochStats(await first.line((l) => l.startsWith(`epoch ${checkpointEpoch} `)))!;
    first.process.kill('SIGKILL');
    expect((await first.exited).signal).toBe('SIGKILL');
    expect((await spoolStatus(spoolPath, server.uri)).backlog.runs).toBe(1);

    await server.up();
    const next = trainer('drain', experiment, env(server.uri, spoolPath));
    const closed = stats(await next.line((l) => l.startsWith('closed ')));
    expect((await next.exited).code).toBe(0);
    expect(closed.spool!.drains).toBeGreaterThan(0);
    expect((await spoolStatus(spoolPath, server.uri)).backlog).toMatchObject({ runs: 0, points: 0 });

    // Points still in the killed process's memory are gone; everything that reached the server
    // or the spool is on the server once, in one unbroken prefix per metric.
    const batch = await steps(runId, 'batch_loss');
    const loss = await steps(runId, 'train.loss');
    const acc = await steps(runId, 'train.acc');
    expect(batch).toEqual(range(batch.length));
    expect(loss).toEqual(range(loss.length));
    expect(acc).toEqual(range(acc.length));
    // The logger's counters count the run's one param too.
    expect(batch.length + loss.length + acc.length).toBeGreaterThanOrEqual(last.flushed + last.spooled - 1);
    expect(await remoteRuns(experiment)).toHaveLength(1);
    const seen = await readRun(live().uri, experiment, runId);
    expect(seen.steps).toEqual({ batch_loss: batch, 'train.acc': acc, 'train.loss': loss });
    expect(seen.artifacts).toEqual({ 'checkpoints/🌌-last.txt': createHash('sha256').update(`epoch ${checkpointEpoch}`).digest('hex') });
  }, 120_000);

  it('a script that returns without close() while the server is down exits after the drain time with its 3000 points in the spool', async () => {
    const server = await proxy();
    const spoolPath = join(packages.dir, 'exit-spool.db');
    const child = trainer('exit', uniqueName('spool-exit'), env(server.uri, spoolPath));
    const runId = (await child.line((l) => l.startsWith('run '))).split(' ')[1]!;
    const atExit = await loseServerAndReturn(child, server);
    expect(atExit).toMatchObject({ flushed: 100, spooled: 3000, failed: 0, buffered: 0 });
    const status = await spoolStatus(spoolPath, server.uri);
    expect(status.backlog).toMatchObject({ runs: 1, points: 3000 });
    expect(status.mappings).toContainEqual(expect.objectContaining({ kind: 'run', remoteId: runId }));
  }, 90_000);

  it('without a spool, the same script exits after the drain time and reports the 3000 points as failed', async () => {
    const server = await proxy();
    // The transport's own defaults (7 retries, 300 s deadline): the exit drain bounds them.
    const vars = env(server.uri, join(packages.dir, 'unused-spool.db'), { LOGBOOK_SPOOL_ENABLED: 'false' });
    delete vars['LOGBOOK_HTTP_MAX_RETRIES'];
    const child = trainer('exit', uniqueName('spool-off-exit'), vars);
    await child.line((l) => l.startsWith('run '));
    const atExit = await loseServerAndReturn(child, server);
    expect(atExit).toMatchObject({ flushed: 100, spooled: 0, failed: 3000, buffered: 0 });
    const lost = child.lines
      .filter((l) => l.startsWith('error '))
      .map((l) => /Lost (\d+) entries/.exec(jsonOf<{ message: string }>(l).message)?.[1])
      .reduce((sum, n) => sum + Number(n ?? 0), 0);
    expect(lost).toBe(3000);
  }, 90_000);
});
