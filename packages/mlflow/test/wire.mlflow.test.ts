import { createServer, request } from 'node:http';
import type { IncomingHttpHeaders, Server } from 'node:http';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { expectCode, uniqueName } from '@logbook/testkit';
import { MlflowStore } from '../src/index.js';
import { describeLive, live } from './helpers/live.js';

interface Seen {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/** Forwards to the live server and records each request as sent on the wire. */
async function recordingProxy(target: string, seen: Seen[]): Promise<{ server: Server; uri: string }> {
  const to = new URL(target);
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      seen.push({ method: req.method!, url: req.url!, headers: req.headers, body: body.toString('utf8') });
      const upstream = request({ host: to.hostname, port: to.port, method: req.method, path: req.url, headers: req.headers }, (up) => {
        res.writeHead(up.statusCode!, up.headers);
        up.pipe(res);
      });
      upstream.end(body);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const address = server.address();
  return { server, uri: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}` };
}

describeLive('MlflowStore wire format (recorded in front of the live server)', () => {
  const seen: Seen[] = [];
  let proxy: { server: Server; uri: string };
  let store: MlflowStore;
  const last = (fragment: string) => seen.filter((s) => s.url.includes(fragment)).at(-1)!;

  beforeAll(async () => {
    proxy = await recordingProxy(live().uri, seen);
    store = new MlflowStore({ trackingUri: proxy.uri });
  });
  beforeEach(() => {
    seen.length = 0;
  });
  afterAll(async () => {
    await store.close();
    await new Promise((r) => proxy.server.close(r));
  });

  it('sends JSON POSTs with Content-Type application/json and NaN/±Infinity as strings', async () => {
    const experimentId = await store.createExperiment({ name: uniqueName('wire') });
    const run = await store.createRun({ experimentId });
    await store.logBatch(run.info.runId, {
      metrics: [
        { key: 'nan', value: Number.NaN, timestamp: 1_700_000_000_123, step: 0 },
        { key: 'inf', value: Infinity, timestamp: 1_700_000_000_123, step: 2 ** 40 },
      ],
    });
    const batch = last('/runs/log-batch');
    expect(batch.method).toBe('POST');
    expect(batch.headers['content-type']).toBe('application/json');
    expect(batch.body).toContain('"value":"NaN"');
    expect(batch.body).toContain('"value":"Infinity"');
    expect(batch.body).toContain('"timestamp":1700000000123');
    expect(batch.body).toContain(`"step":${2 ** 40}`);
    const metrics = Object.fromEntries((await store.getRun(run.info.runId)).data.metrics.map((m) => [m.key, m]));
    expect(metrics['nan']!.value).toBeNaN();
    expect(metrics['inf']).toMatchObject({ value: Number.MAX_VALUE, step: 2 ** 40 });
  });

  it('always sends start_time on runs/create and max_results on searches and metric history', async () => {
    const experimentId = await store.createExperiment({ name: uniqueName('wire-defaults') });
    const before = Date.now();
    const run = await store.createRun({ experimentId });
    expect(JSON.parse(last('/runs/create').body).start_time).toBeGreaterThanOrEqual(before);
    expect(run.info.startTime).toBeGreaterThanOrEqual(before);

    await store.searchExperiments();
    expect(JSON.parse(last('/experiments/search').body).max_results).toBe(1000);
    await store.searchRuns({ experimentIds: [experimentId] });
    expect(JSON.parse(last('/runs/search').body).max_results).toBe(1000);
    await store.getMetricHistory(run.info.runId, 'loss');
    expect(last('/metrics/get-history').url).toContain('max_results=25000');
    await store.searchRegisteredModels();
    expect(last('/registered-models/search').url).toContain('max_results=100');
  });

  it('sends registry DELETE parameters in a JSON body', async () => {
    const name = uniqueName('wire-model');
    await store.createRegisteredModel({ name, tags: { a: '1' } });
    await store.deleteRegisteredModelTag(name, 'a');
    const del = last('/registered-models/delete-tag');
    expect(del.method).toBe('DELETE');
    expect(del.headers['content-type']).toBe('application/json');
    expect(JSON.parse(del.body)).toEqual({ name, key: 'a' });
    expect((await store.getRegisteredModel(name)).tags).toEqual({});
  });

  it('answers undefined for an unknown experiment name, and keeps the unknown-alias 400 as INVALID_PARAMETER_VALUE', async () => {
    expect(await store.getExperimentByName(uniqueName('absent'))).toBeUndefined();
    const name = uniqueName('wire-alias');
    await store.createRegisteredModel({ name });
    const error = await expectCode(store.getModelVersionByAlias(name, 'nope'), 'INVALID_PARAMETER_VALUE');
    expect(error.message).toMatch(/^\[mlflow\] .*alias/i);
  });

  it('splits oversized batches like the Python client with logBatchChunked', async () => {
    const experimentId = await store.createExperiment({ name: uniqueName('wire-chunks') });
    const run = await store.createRun({ experimentId });
    const metrics = Array.from({ length: 2500 }, (_, i) => ({ key: 'loss', value: i, timestamp: 1000 + i, step: i }));
    const params = Array.from({ length: 150 }, (_, i) => ({ key: `p${i}`, value: String(i) }));
    await store.logBatchChunked(run.info.runId, { metrics, params });
    expect(seen.filter((s) => s.url.includes('/runs/log-batch'))).toHaveLength(3);
    const history = await store.getMetricHistory(run.info.runId, 'loss');
    expect(history.items).toHaveLength(2500);
    expect(Object.keys((await store.getRun(run.info.runId)).data.params)).toHaveLength(150);
  });
});
