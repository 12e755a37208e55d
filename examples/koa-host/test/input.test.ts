import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHost, unique } from './support.js';
import type { TestHost } from './support.js';

describe('example host: bad input', () => {
  let t: TestHost;
  let runId: string;
  beforeAll(async () => {
    t = await startHost({ bodyLimit: '64kb' });
    const exp = (await t.api('/experiments', { body: { name: unique('input') } })).body.experiment_id;
    runId = (await t.api(`/experiments/${exp}/runs`, { body: {} })).body.run.info.run_id;
  });
  afterAll(async () => {
    await t?.close();
  });

  it('answers malformed JSON with 400 naming the body', async () => {
    for (const raw of ['{bad', '{"name": "x",}', '"just a string"', '12']) {
      const res = await t.api('/experiments', { raw });
      expect(res.status, raw).toBe(400);
      expect(res.body.field, raw).toBe('body');
      expect(typeof res.body.request_id).toBe('string');
    }
  });

  it('answers wrong types with 400 naming the field and the rule', async () => {
    const cases: [string, unknown, string][] = [
      ['/experiments', { name: 5 }, 'name'],
      ['/experiments', {}, 'name'],
      ['/experiments', { name: 'x', tags: 'no' }, 'tags'],
      ['/experiments', { name: 'x', tags: [{ key: 'k', value: 1 }] }, 'tags[0].value'],
      [`/runs/${runId}/log-batch`, { metrics: {} }, 'metrics'],
      [`/runs/${runId}/log-batch`, { metrics: [1] }, 'metrics[0]'],
      [`/runs/${runId}/log-batch`, { params: [{ key: 'bad key!', value: 'v' }] }, 'params[0].key'],
      [`/runs/${runId}/log-batch`, { metrics: [{ key: 'm', value: 1, timestamp: -5 }] }, 'metrics[0].timestamp'],
      ['/models/register', { name: 'a/b', source: 'x' }, 'name'],
      ['/models/register', { name: 'ok' }, 'source'],
    ];
    for (const [path, body, field] of cases) {
      const res = await t.api(path, { body });
      expect(res.status, `${path} ${JSON.stringify(body)}`).toBe(400);
      expect(res.body.field, `${path} ${JSON.stringify(body)}`).toBe(field);
      expect(res.body.message).toMatch(/^\[(koa|core)\]/);
    }
    const patch = await t.api(`/runs/${runId}`, { method: 'PATCH', body: { status: 'DONE' } });
    expect(patch.body).toMatchObject({ field: 'status' });
    expect(patch.body.message).toContain('RUNNING');
  });

  it('checks query parameters', async () => {
    for (const q of ['max_results=0', 'max_results=abc', 'max_results=1001', 'view_type=SOME']) {
      const res = await t.api(`/experiments?${q}`);
      expect(res.status, q).toBe(400);
      expect(res.body.field, q).toBe(q.split('=')[0]);
    }
    expect((await t.api('/runs/compare')).body.field).toBe('run_ids');
    expect((await t.api(`/runs/${runId}/metric-history`)).body.field).toBe('key');
  });

  it('answers an oversize body with 413 and a non-JSON body with 415', async () => {
    const big = await t.api('/experiments', { body: { name: 'x', pad: 'x'.repeat(100_000) } });
    expect(big.status).toBe(413);
    expect(big.body.error_code).toBe('PAYLOAD_TOO_LARGE');
    const form = await t.api('/experiments', { raw: 'name=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(form.status).toBe(415);
  });

  it('keeps unicode names, keys and values intact', async () => {
    const name = unique('日本語 – ünïcode 🚀');
    const created = await t.api('/experiments', { body: { name } });
    expect(created.status).toBe(201);
    const run = (await t.api(`/experiments/${created.body.experiment_id}/runs`, { body: { run_name: 'прогон' } })).body.run.info.run_id;
    await t.api(`/runs/${run}/log-batch`, { body: { params: [{ key: 'größe', value: '𝛼=0.1' }] } });
    const got = await t.api(`/runs/${run}`);
    expect(got.body.run.info.run_name).toBe('прогон');
    expect(got.body.run.data.params).toContainEqual({ key: 'größe', value: '𝛼=0.1' });
    expect((await t.api(`/experiments/${created.body.experiment_id}`)).body.experiment.name).toBe(name);
  });

  it('answers unknown endpoints with JSON 404 and wrong methods with 405', async () => {
    const missing = await t.api('/nothing-here');
    expect(missing.status).toBe(404);
    expect(missing.body.error_code).toBe('ENDPOINT_NOT_FOUND');
    const wrong = await t.api('/experiments', { method: 'PUT', body: {} });
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toContain('GET');
  });
});
