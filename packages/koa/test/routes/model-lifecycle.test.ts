import { once } from 'node:events';
import { existsSync, readdirSync } from 'node:fs';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { WebhookAlertSink } from '@logbook/core';
import type { Logbook } from '@logbook/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHost, unique } from '../../../../examples/koa-host/test/support.js';
import type { TestHost } from '../../../../examples/koa-host/test/support.js';

let t: TestHost;
let hook: Server;
const alerts: unknown[] = [];
let name: string;
let runs: string[];

/** A finished run of a new experiment with `accuracy` and `lr`, through the REST API. */
async function trainedRun(accuracy: number, lr: string): Promise<string> {
  const experiment = (await t.api('/experiments', { body: { name: unique('train') } })).body.experiment_id as string;
  const runId = (await t.api(`/experiments/${experiment}/runs`, { body: {} })).body.run.info.run_id as string;
  const logged = await t.api(`/runs/${runId}/log-batch`, { body: { metrics: [{ key: 'accuracy', value: accuracy, timestamp: 1, step: 0 }], params: [{ key: 'lr', value: lr }] } });
  expect(logged.status).toBe(200);
  return runId;
}

async function upload(bytes: string, query: string) {
  const res = await fetch(`${t.base}/models/${name}/versions${query}`, { method: 'POST', headers: { 'x-api-key': t.keys.admin, 'content-type': 'application/octet-stream' }, body: bytes });
  expect(res.status).toBe(201);
}

beforeAll(async () => {
  t = await startHost();
  hook = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => {
      body += c.toString();
    });
    req.on('end', () => {
      alerts.push(JSON.parse(body));
      res.end();
    });
  });
  hook.listen(0, '127.0.0.1');
  await once(hook, 'listening');
  // The host's own logbook: the routes use its versioning service, so its alert sinks fire.
  (t.host.logbook as Logbook).versioning.addAlertSink(new WebhookAlertSink({ url: `http://127.0.0.1:${(hook.address() as AddressInfo).port}/alerts` }));
  name = unique('detector');
  runs = [await trainedRun(0.8, '0.01'), await trainedRun(0.9, '0.1')];
  await upload('weights one', `?run_id=${runs[0]}`);
  await upload('weights two', `?run_id=${runs[1]}&parent_version=1`);
});
afterAll(async () => {
  hook?.close();
  await t?.close();
});

describe('GET /models/{name}/compare', () => {
  it('puts source-run metrics side by side with deltas, differing params and bytes', async () => {
    const res = await t.api(`/models/${name}/compare?v1=1.0.0&v2=latest`, { key: t.keys.reader });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ model_name: name, same_bytes: false, size_delta: 0, common_ancestor: '1', params: [{ key: 'lr', v1: '0.01', v2: '0.1' }] });
    expect(res.body.metrics).toHaveLength(1);
    expect(res.body.metrics[0].key).toBe('accuracy');
    expect(res.body.metrics[0].delta).toBeCloseTo(0.1, 12);
    expect(res.body.v2).toMatchObject({ version: '2', semver: '1.1.0', stage: 'None', run_id: runs[1], parent_version: '1', lineage: ['2', '1'] });
    const missing = await t.api(`/models/${name}/compare?v1=1`);
    expect(missing.status).toBe(400);
    expect(missing.body.field).toBe('v2');
    expect((await t.api(`/models/${name}/compare?v1=1&v2=9`)).status).toBe(404);
    expect((await t.api(`/models/${name}/compare?v1=1&v2=2`, { key: t.keys.granted })).status).toBe(403);
  });
});

describe('transition, deployments, monitor, rollback, archive', () => {
  it('transitions by any version reference (Production needs admin)', async () => {
    const staged = await t.api(`/models/${name}/versions/1.0.0/transition`, { body: { stage: 'Staging' }, key: t.keys.editor });
    expect(staged.status).toBe(200);
    expect(staged.body.model_version).toMatchObject({ version: '1', current_stage: 'Staging' });
    expect((await t.api(`/models/${name}/versions/Staging/transition`, { body: { stage: 'Production' }, key: t.keys.editor })).status).toBe(403);
    const prod = await t.api(`/models/${name}/versions/Staging/transition`, { body: { stage: 'Production' } });
    expect(prod.body.model_version).toMatchObject({ version: '1', current_stage: 'Production' });
  });

  it('records deployments with the caller as `by`, and lists history and the live version', async () => {
    const bad = await t.api(`/models/${name}/deployments`, { body: { version: '1', environment: 'production', status: 'live' }, key: t.keys.editor });
    expect(bad.status).toBe(400);
    expect(bad.body.field).toBe('status');
    expect((await t.api(`/models/${name}/deployments`, { body: { version: '1', environment: 'production', status: 'deployed' }, key: t.keys.reader })).status).toBe(403);
    const made = await t.api(`/models/${name}/deployments`, { body: { version: 'Production', environment: 'production', status: 'deployed', url: 'https://serve.example/d' }, key: t.keys.editor });
    expect(made.status).toBe(201);
    expect(made.body.deployment).toMatchObject({
      model_name: name,
      version: '1',
      semver: '1.0.0',
      environment: 'production',
      status: 'deployed',
      by: 'key:editor',
      kind: 'deploy',
      url: 'https://serve.example/d',
    });
    const listed = await t.api(`/models/${name}/deployments?environment=production`, { key: t.keys.reader });
    expect(listed.status).toBe(200);
    expect(listed.body.deployments.map((d: { id: string }) => d.id)).toEqual([made.body.deployment.id]);
    expect(listed.body.live.production).toMatchObject({ version: '1', status: 'deployed' });
  });

  it("checks live metrics against the source run and alerts the host's sinks past the threshold", async () => {
    const ok = await t.api(`/models/${name}/monitor`, { body: { version: '1', environment: 'production', metrics: { accuracy: 0.79 } }, key: t.keys.editor });
    expect(ok.status).toBe(200);
    expect(ok.body.alert).toBeUndefined();
    expect(ok.body.checks).toEqual([expect.objectContaining({ key: 'accuracy', live: 0.79, baseline: 0.8, degraded: false })]);
    expect(alerts).toEqual([]);
    const bad = await t.api(`/models/${name}/monitor`, { body: { version: '1.0.0', environment: 'production', metrics: { accuracy: 0.6 } }, key: t.keys.editor });
    expect(bad.status).toBe(200);
    expect(bad.body.alert).toMatchObject({
      kind: 'model.degraded',
      model_name: name,
      version: '1',
      environment: 'production',
      metrics: [{ key: 'accuracy', baseline: 0.8, live: 0.6, threshold: 0.1 }],
    });
    expect(alerts).toEqual([expect.objectContaining({ kind: 'model.degraded', modelName: name, version: '1' })]);
    const live = await t.api(`/models/${name}/deployments`);
    expect(live.body.live.production.live_metrics).toEqual({ accuracy: 0.6 });
  });

  it('refuses live metrics of a version not deployed there (409) and bad metrics (400)', async () => {
    const none = await t.api(`/models/${name}/monitor`, { body: { version: '2', environment: 'production', metrics: { accuracy: 0.9 } } });
    expect(none.status).toBe(409);
    expect(none.body).toMatchObject({ error_code: 'INVALID_STATE', field: 'environment' });
    const cases: [unknown, string][] = [
      [{ accuracy: 'high' }, 'metrics.accuracy'],
      [{}, 'metrics'],
      [[1], 'metrics'],
      [Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`m${i}`, 1])), 'metrics'],
    ];
    for (const [metrics, field] of cases) {
      const res = await t.api(`/models/${name}/monitor`, { body: { version: '1', environment: 'production', metrics } });
      expect(res.status, JSON.stringify(metrics).slice(0, 40)).toBe(400);
      expect(res.body.field).toBe(field);
    }
    expect((await t.api(`/models/${name}/monitor`, { body: { version: '1', environment: 'production', metrics: { accuracy: 1 } }, key: t.keys.reader })).status).toBe(403);
  });

  it('rolls back to a chosen version (admin), archiving the one it replaces, then archives', async () => {
    await t.api(`/models/${name}/versions/2/transition`, { body: { stage: 'Production', archive_existing_versions: true } });
    expect((await t.api(`/models/${name}/rollback`, { body: { version: '1.0.0' }, key: t.keys.editor })).status).toBe(403);
    const back = await t.api(`/models/${name}/rollback`, { body: { version: '1.0.0' } });
    expect(back.status).toBe(200);
    expect(back.body.model_version).toMatchObject({ version: '1', current_stage: 'Production' });
    const versions = await t.api(`/models/${name}/versions`);
    expect(versions.body.model_versions.map((v: { version: string; current_stage: string }) => [v.version, v.current_stage]).sort()).toEqual([
      ['1', 'Production'],
      ['2', 'Archived'],
    ]);
    const live = await t.api(`/models/${name}/deployments?environment=production`);
    expect(live.body.live.production).toMatchObject({ version: '1', kind: 'rollback', replaced: ['2'], by: 'key:admin' });
    expect((await t.api(`/models/${name}/rollback`, { body: { version: '9' } })).status).toBe(404);
    expect((await t.api(`/models/${name}/rollback`, { body: {} })).body.field).toBe('version');
    expect((await t.api(`/models/${name}/versions/1/archive`, { method: 'POST', key: t.keys.editor })).status).toBe(403);
    const archived = await t.api(`/models/${name}/versions/Production/archive`, { method: 'POST' });
    expect(archived.status).toBe(200);
    expect(archived.body.model_version).toMatchObject({ version: '1', current_stage: 'Archived' });
  });
});

describe('model routes with modelRegistryEnabled: false', () => {
  it('refuse uploads with FEATURE_DISABLED and store no bytes', async () => {
    const off = await startHost({ config: { modelRegistryEnabled: false } });
    try {
      const res = await fetch(`${off.base}/models/off/versions`, { method: 'POST', headers: { 'x-api-key': off.keys.admin, 'content-type': 'application/octet-stream' }, body: 'weights' });
      const body = (await res.json()) as { error_code: string; message: string };
      expect(res.status).toBe(501);
      expect(body.error_code).toBe('FEATURE_DISABLED');
      expect(body.message).toContain('modelRegistryEnabled');
      const artifacts = join(off.folder, 'logbook-artifacts');
      expect(existsSync(artifacts) ? readdirSync(artifacts, { recursive: true }).filter((e) => String(e).endsWith('model.bin')) : []).toEqual([]);
    } finally {
      await off.close();
    }
  });
});
