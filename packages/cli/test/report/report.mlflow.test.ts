import '@logbook/mlflow';
import { randomUUID } from 'node:crypto';
import { createLogbook } from '@logbook/core';
import type { Logbook } from '@logbook/core';
import { collectReport } from '@logbook/koa';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { populate } from '../fixture.js';
import type { Populated } from '../fixture.js';

const server = inject('mlflow');
const describeLive = (server === null ? describe.skip : describe) as typeof describe;

// The model view searches MLflow itself: model versions by `run_id`, deployment runs by a
// backquoted tag. Both filters have to mean the same on a real server as on SQLite.
describeLive('collectReport against a live MLflow server', () => {
  let lb: Logbook;
  let p: Populated;

  beforeAll(async () => {
    lb = await createLogbook({ trackingUri: server!.uri, logLevel: 'silent', spool: { enabled: false } });
    p = await populate(lb, `report-${randomUUID().slice(0, 8)}-`);
    await lb.versioning.recordDeployment(p.modelName, '2', { environment: 'production', status: 'deployed', by: 'ci' });
    for (const recall of [0.9, 0.85, 0.8]) await lb.versioning.logLiveMetrics(p.modelName, '2', 'production', { recall });
  }, 120_000);

  afterAll(async () => {
    await lb?.close();
  });

  it('finds the model the runs registered, its versions, lineage and the live curve of its deployment', async () => {
    const data = await collectReport(lb.stores.tracking, { experiments: [p.experimentName] }, { registry: lb.stores.registry });
    expect(data.runs).toHaveLength(3);
    expect(data.models.map((m) => m.name)).toEqual([p.modelName]);
    const [model] = data.models;
    expect(model!.versions.map((v) => [v.version, v.semver, v.parentVersion, v.runId, v.inReport])).toEqual([
      ['1', '1.0.0', undefined, p.childRunIds[0], true],
      ['2', '1.1.0', '1', p.childRunIds[1], true],
    ]);
    expect(model!.deployments).toHaveLength(1);
    expect(model!.deployments[0]).toMatchObject({ version: '2', semver: '1.1.0', environment: 'production', status: 'deployed', kind: 'deploy', by: 'ci' });
    expect(model!.deployments[0]!.live['recall']).toMatchObject({ steps: [0, 1, 2], values: [0.9, 0.85, 0.8], storedPoints: 3 });
  });

  it('has no model view for runs that registered nothing', async () => {
    const data = await collectReport(lb.stores.tracking, { runIds: [p.parentRunId] }, { registry: lb.stores.registry });
    expect(data.models).toEqual([]);
  });
});
