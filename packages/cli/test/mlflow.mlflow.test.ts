import '@logbook/mlflow';
import { randomUUID } from 'node:crypto';
import { createLogbook } from '@logbook/core';
import type { Run } from '@logbook/core';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { cli, populate } from './fixture.js';
import type { Populated } from './fixture.js';

const server = inject('mlflow');
const describeLive = (server === null ? describe.skip : describe) as typeof describe;

describeLive('logbook against a live MLflow server (--tracking-uri http://…)', () => {
  const uri = server?.uri ?? '';
  let p: Populated;

  beforeAll(async () => {
    const lb = await createLogbook({ trackingUri: uri });
    try {
      p = await populate(lb, `cli-${randomUUID().slice(0, 8)}-`);
    } finally {
      await lb.close();
    }
  });

  it('lists, shows and compares the runs logged there', async () => {
    const list = await cli(['--json', 'runs', 'list', '-e', p.experimentName], { dbPath: uri });
    expect(list.code).toBe(0);
    expect((JSON.parse(list.stdout) as Run[]).map((r) => r.info.runId).sort()).toEqual([p.parentRunId, ...p.childRunIds].sort());

    const show = await cli(['runs', 'show', p.parentRunId], { dbPath: uri });
    expect(show.code).toBe(0);
    for (const id of p.childRunIds) expect(show.stdout).toContain(id);

    const compare = await cli(['runs', 'compare', ...p.childRunIds], { dbPath: uri });
    expect(compare.stdout).toMatch(/^\*\s+lr\s+0\.01\s+0\.1$/m);
  });

  it('prints a metric history and the model versions', async () => {
    const history = await cli(['metrics', p.childRunIds[0], 'loss'], { dbPath: uri });
    expect(
      history.stdout
        .trim()
        .split('\n')
        .slice(1)
        .map((l) => l.split(/\s{2,}/)[1]),
    ).toEqual(p.lossHistory.map(String));
    const versions = await cli(['models', 'versions', p.modelName], { dbPath: uri });
    expect(versions.stdout).toMatch(new RegExp(`^2\\s+Staging\\s+1\\.1\\.0\\s+${p.childRunIds[1]}`, 'm'));
  });

  it('exits 3 for a run the server does not know', async () => {
    expect((await cli(['runs', 'show', 'f'.repeat(32)], { dbPath: uri })).code).toBe(3);
  });

  it('lists a stale RUNNING run (start and metric times) and ends it as KILLED', async () => {
    const lb = await createLogbook({ trackingUri: uri });
    const startTime = Date.now() - 3 * 3_600_000;
    let dead: string;
    let alive: string;
    try {
      const dead0 = await lb.stores.tracking.createRun({ experimentId: p.experimentId, startTime, runName: 'dead' });
      dead = dead0.info.runId;
      await lb.stores.tracking.logBatch(dead, { metrics: [{ key: 'loss', value: 1, timestamp: startTime + 60_000, step: 0 }] });
      alive = (await lb.stores.tracking.createRun({ experimentId: p.experimentId, runName: 'alive' })).info.runId;
    } finally {
      await lb.close();
    }
    const stale = await cli(['--json', 'runs', 'stale', '--minutes', '60', '-e', p.experimentName], { dbPath: uri });
    expect(stale.code).toBe(0);
    const rows = JSON.parse(stale.stdout) as { runId: string; lastWriteTime: number }[];
    expect(rows.map((r) => r.runId)).toEqual([dead]);
    expect(rows[0]!.lastWriteTime).toBe(startTime + 60_000);

    const ended = await cli(['--json', 'runs', 'end', dead], { dbPath: uri });
    expect(ended.code).toBe(0);
    expect(JSON.parse(ended.stdout)).toMatchObject({ runId: dead, status: 'KILLED' });
    expect((await cli(['runs', 'end', dead], { dbPath: uri })).code).toBe(5);
    expect((await cli(['runs', 'end', alive, '--status', 'FINISHED'], { dbPath: uri })).code).toBe(0);
    expect((await cli(['runs', 'stale', '-e', p.experimentName], { dbPath: uri })).stdout).toBe('No stale runs.\n');
  });
});
