import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RouteHost } from './route-host.js';
import { rawGet, unique } from './route-host.js';

/**
 * The REST route suite, run over real HTTP against a Koa app with only Logbook's router mounted,
 * with whichever backend `start` configures (SQLite in routes.test.ts, a live MLflow server in
 * routes.mlflow.test.ts).
 */
export function routeSuite(start: () => Promise<RouteHost>): void {
  let t: RouteHost;
  beforeAll(async () => {
    t = await start();
  });
  afterAll(async () => {
    await t?.close();
  });

  async function newExperiment(): Promise<string> {
    const res = await t.api('/experiments', { body: { name: unique('exp') } });
    expect(res.status).toBe(201);
    return res.body.experiment_id as string;
  }

  async function newRun(experimentId: string, name = 'run'): Promise<string> {
    const res = await t.api(`/experiments/${experimentId}/runs`, { body: { run_name: name } });
    expect(res.status).toBe(201);
    return res.body.run.info.run_id as string;
  }

  describe('experiments', () => {
    it('creates, gets, and refuses a duplicate name with 409', async () => {
      const name = unique('élan-实验');
      const created = await t.api('/experiments', { body: { name, tags: [{ key: 'team', value: 'ünïcode ✓' }] } });
      expect(created.status).toBe(201);
      const got = await t.api(`/experiments/${created.body.experiment_id}`);
      expect(got.status).toBe(200);
      expect(got.body.experiment.name).toBe(name);
      expect(got.body.experiment.tags).toContainEqual({ key: 'team', value: 'ünïcode ✓' });
      const dup = await t.api('/experiments', { body: { name } });
      expect(dup.status).toBe(409);
      expect(dup.body.error_code).toBe('RESOURCE_ALREADY_EXISTS');
    });

    it('pages through the list with max_results and page_token', async () => {
      const prefix = unique('page');
      for (const i of [1, 2, 3]) expect((await t.api('/experiments', { body: { name: `${prefix}-${i}` } })).status).toBe(201);
      const filter = encodeURIComponent(`name LIKE '${prefix}-%'`);
      const first = await t.api(`/experiments?max_results=2&filter=${filter}`);
      expect(first.status).toBe(200);
      expect(first.body.experiments).toHaveLength(2);
      expect(typeof first.body.next_page_token).toBe('string');
      const second = await t.api(`/experiments?max_results=2&filter=${filter}&page_token=${encodeURIComponent(first.body.next_page_token)}`);
      expect(second.body.experiments).toHaveLength(1);
      expect(second.body.next_page_token).toBeUndefined();
      const names = [...first.body.experiments, ...second.body.experiments].map((e: { name: string }) => e.name).sort();
      expect(names).toEqual([1, 2, 3].map((i) => `${prefix}-${i}`));
    });

    it('answers 404 for an unknown id and 400 naming the field for a malformed one', async () => {
      expect((await t.api('/experiments/987654321')).status).toBe(404);
      const bad = await t.api('/experiments/abc');
      expect(bad.status).toBe(400);
      expect(bad.body.field).toBe('experiment_id');
    });
  });

  describe('runs', () => {
    it('creates, logs a batch, reads history, updates, ends and compares runs', async () => {
      const exp = await newExperiment();
      const a = await newRun(exp, 'a');
      const b = await newRun(exp, 'b');
      const logged = await t.api(`/runs/${a}/log-batch`, {
        body: {
          metrics: [
            { key: 'loss', value: 0.5, step: 1, timestamp: 1000 },
            { key: 'loss', value: 0.25, step: 2, timestamp: 2000 },
          ],
          params: [{ key: 'lr', value: '0.01' }],
          tags: [{ key: 'note', value: 'première' }],
        },
      });
      expect(logged.status).toBe(200);
      await t.api(`/runs/${b}/log-batch`, { body: { metrics: [{ key: 'loss', value: 0.75, step: 1, timestamp: 1000 }], params: [{ key: 'lr', value: '0.1' }] } });

      const run = await t.api(`/runs/${a}`);
      expect(run.status).toBe(200);
      expect(run.body.run.data.params).toContainEqual({ key: 'lr', value: '0.01' });
      expect(run.body.run.data.metrics).toContainEqual(expect.objectContaining({ key: 'loss', value: 0.25, step: 2 }));

      const history = await t.api(`/runs/${a}/metric-history?key=loss&max_results=1`);
      expect(history.status).toBe(200);
      expect(history.body.metrics).toHaveLength(1);
      const rest = await t.api(`/runs/${a}/metric-history?key=loss&max_results=1&page_token=${encodeURIComponent(history.body.next_page_token)}`);
      expect([...history.body.metrics, ...rest.body.metrics].map((m: { value: number }) => m.value)).toEqual([0.5, 0.25]);

      const renamed = await t.api(`/runs/${a}`, { method: 'PATCH', body: { run_name: 'renamed' } });
      expect(renamed.status).toBe(200);
      expect(renamed.body.run_info.run_name).toBe('renamed');
      const ended = await t.api(`/runs/${a}/end`, { body: { status: 'FAILED' } });
      expect(ended.body.run_info.status).toBe('FAILED');
      expect(typeof ended.body.run_info.end_time).toBe('number');

      const cmp = await t.api(`/runs/compare?run_ids=${a},${b}`);
      expect(cmp.status).toBe(200);
      expect(cmp.body.params).toContainEqual({ key: 'lr', values: ['0.01', '0.1'], differs: true });
      expect(cmp.body.metrics).toContainEqual({ key: 'loss', values: [0.25, 0.75], differs: true });

      const list = await t.api(`/experiments/${exp}/runs?max_results=1`);
      expect(list.body.runs).toHaveLength(1);
      const next = await t.api(`/experiments/${exp}/runs?max_results=1&page_token=${encodeURIComponent(list.body.next_page_token)}`);
      expect([list.body.runs[0].info.run_id, next.body.runs[0].info.run_id].sort()).toEqual([a, b].sort());
    });

    it('answers 404 for unknown runs and 400 naming the field for bad batches', async () => {
      expect((await t.api('/runs/0123456789abcdef0123456789abcdef')).status).toBe(404);
      const run = await newRun(await newExperiment());
      const bad = await t.api(`/runs/${run}/log-batch`, { body: { metrics: [{ key: 'loss', value: 'high', step: 0 }] } });
      expect(bad.status).toBe(400);
      expect(bad.body.field).toBe('metrics[0].value');
      const badStep = await t.api(`/runs/${run}/log-batch`, { body: { metrics: [{ key: 'loss', value: 1, step: 1.5 }] } });
      expect(badStep.status).toBe(400);
      expect(badStep.body.field).toBe('metrics[0].step');
    });
  });

  describe('models', () => {
    it('registers, lists, lists versions (paged) and transitions stages', async () => {
      const name = unique('model');
      const v1 = await t.api('/models/register', { body: { name, source: 's3://models/churn/1', description: 'first' } });
      expect(v1.status).toBe(201);
      expect(v1.body.model_version.version).toBe('1');
      const v2 = await t.api('/models/register', { body: { name, source: 's3://models/churn/2' } });
      expect(v2.body.model_version.version).toBe('2');
      const models = await t.api(`/models?filter=${encodeURIComponent(`name = '${name}'`)}`);
      expect(models.body.models.map((m: { name: string }) => m.name)).toEqual([name]);
      const page = await t.api(`/models/${encodeURIComponent(name)}/versions?max_results=1`);
      expect(page.status).toBe(200);
      expect(page.body.model_versions).toHaveLength(1);
      expect(typeof page.body.next_page_token).toBe('string');
      const moved = await t.api(`/models/${encodeURIComponent(name)}/versions/1/transition`, { body: { stage: 'staging' } });
      expect(moved.status).toBe(200);
      expect(moved.body.model_version.current_stage).toBe('Staging');
      expect((await t.api(`/models/${encodeURIComponent(name)}/versions/99/transition`, { body: { stage: 'Staging' } })).status).toBe(404);
      expect((await t.api(`/models/${encodeURIComponent(unique('nope'))}/versions`)).status).toBe(404);
    });

    it('takes model bytes, gives them back checked, and follows a version through deploy, live metrics and rollback', async () => {
      const runs = [await newRun(await newExperiment()), await newRun(await newExperiment())];
      for (const [i, runId] of runs.entries()) {
        expect((await t.api(`/runs/${runId}/log-batch`, { body: { metrics: [{ key: 'recall', value: 0.9 - i / 10, timestamp: 1, step: 0 }] } })).status).toBe(200);
      }
      const name = unique('bytes-model');
      const bytes = [Buffer.alloc(200_000, 7), Buffer.alloc(200_001, 8)];
      for (const [i, runId] of runs.entries()) {
        const res = await fetch(`${t.base}/models/${name}/versions?run_id=${runId}`, {
          method: 'POST',
          headers: { 'x-api-key': t.keys.admin, 'content-type': 'application/octet-stream' },
          body: bytes[i],
        });
        expect(res.status).toBe(201);
      }
      const back = await fetch(`${t.base}/models/${name}/versions/1.0.0/download`, { headers: { 'x-api-key': t.keys.reader } });
      expect(back.status).toBe(200);
      expect(Buffer.from(await back.arrayBuffer()).equals(bytes[0]!)).toBe(true);
      const compared = await t.api(`/models/${name}/compare?v1=1&v2=2`);
      expect(compared.body).toMatchObject({ same_bytes: false, size_delta: 1 });
      expect(compared.body.metrics[0].delta).toBeCloseTo(-0.1, 12);
      expect((await t.api(`/models/${name}/versions/2/transition`, { body: { stage: 'Production' } })).status).toBe(200);
      expect((await t.api(`/models/${name}/deployments`, { body: { version: 'Production', environment: 'prod', status: 'deployed' } })).status).toBe(201);
      const checked = await t.api(`/models/${name}/monitor`, { body: { version: '2', environment: 'prod', metrics: { recall: 0.5 } } });
      expect(checked.body.alert).toMatchObject({ version: '2', metrics: [{ key: 'recall', live: 0.5 }] });
      const rolled = await t.api(`/models/${name}/rollback`, { body: { version: '1.0.0', environment: 'prod' } });
      expect(rolled.body.model_version).toMatchObject({ version: '1', current_stage: 'Production' });
      const live = await t.api(`/models/${name}/deployments?environment=prod`);
      expect(live.body.live.prod).toMatchObject({ version: '1', kind: 'rollback', replaced: ['2'] });
      expect((await t.api(`/models/${name}/versions/2`)).body.model_version.current_stage).toBe('Archived');
    });
  });

  describe('artifacts', () => {
    it('streams a file with its content type and length, and refuses traversal', async () => {
      const runId = await newRun(await newExperiment());
      const run = (await t.api(`/runs/${runId}`)).body.run;
      const bytes = Buffer.from('{"ok":true,"text":"héllo"}');
      await t.logbook.stores.artifacts.put(run.info.artifact_uri, 'eval/result.json', bytes);
      // What the store knows wins (MLflow serves JSON as text/plain); else the extension decides.
      const stored = await t.logbook.stores.artifacts.get(run.info.artifact_uri, 'eval/result.json');
      stored.stream.resume();
      const res = await fetch(`${t.base}/artifacts/${runId}/eval/result.json`, { headers: { 'x-api-key': t.keys.reader } });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain((stored.contentType ?? 'application/json').split(';')[0]);
      if (stored.size !== undefined) expect(res.headers.get('content-length')).toBe(String(bytes.length));
      else expect(res.headers.get('transfer-encoding')).toBe('chunked');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(Buffer.from(await res.arrayBuffer()).equals(bytes)).toBe(true);
      expect((await t.api(`/artifacts/${runId}/eval/missing.json`)).status).toBe(404);
      for (const path of ['..%2f..%2fetc%2fpasswd', '%2e%2e/%2e%2e/etc/passwd', '%252e%252e%252fsecret', 'a/%5c..%5csecret', '%2fetc%2fpasswd']) {
        const res = await rawGet(t.url, `${new URL(t.base).pathname}/artifacts/${runId}/${path}`, { 'x-api-key': t.keys.admin });
        expect(res.status, path).toBe(400);
        expect(JSON.parse(res.body).field, path).toBe('path');
      }
    });
  });

  describe('health', () => {
    it('reports the backend reachable', async () => {
      const res = await t.api('/health', { key: null });
      expect(res.status).toBe(200);
      expect(res.body.status).toBe('ok');
      expect(res.body.backend.reachable).toBe(true);
    });
  });
}
