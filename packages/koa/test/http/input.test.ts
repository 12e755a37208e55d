import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHost, unique } from '../../../../examples/koa-host/test/support.js';
import type { TestHost } from '../../../../examples/koa-host/test/support.js';

// Lengths are counted in characters (code points), as MLflow counts them: an emoji is one.
const SMILE = '😀';

describe('input lengths over HTTP', () => {
  let t: TestHost;
  let runId: string;
  beforeAll(async () => {
    t = await startHost();
    const exp = (await t.api('/experiments', { body: { name: unique('unicode') } })).body.experiment_id;
    runId = (await t.api(`/experiments/${exp}/runs`, { body: {} })).body.run.info.run_id;
  });
  afterAll(async () => {
    await t?.close();
  });

  describe('optString', () => {
    it('accepts a run name of 250 characters outside the BMP and refuses 251, naming the field and the count', async () => {
      const ok = await t.api(`/runs/${runId}`, { method: 'PATCH', body: { run_name: SMILE.repeat(250) } });
      expect(ok.status).toBe(200);
      expect(ok.body.run_info.run_name).toBe(SMILE.repeat(250));
      const over = await t.api(`/runs/${runId}`, { method: 'PATCH', body: { run_name: `${SMILE.repeat(250)}x` } });
      expect(over.status).toBe(400);
      expect(over.body.field).toBe('run_name');
      expect(over.body.message).toContain('must have at most 250 characters, got 251');
    });
  });

  describe('log-batch', () => {
    it('stores params and tags of non-BMP characters at the limit exactly', async () => {
      const params = [
        { key: 'p', value: SMILE.repeat(6000) },
        { key: 'after', value: 'z' },
      ];
      const tags = [{ key: '𝔸'.repeat(250), value: `a${SMILE.repeat(7999)}` }];
      expect((await t.api(`/runs/${runId}/log-batch`, { body: { params, tags } })).status).toBe(200);
      const run = (await t.api(`/runs/${runId}`)).body.run;
      const byKey = (list: { key: string; value: string }[]) => Object.fromEntries(list.map((e) => [e.key, e.value]));
      expect(byKey(run.data.params)).toEqual({ p: SMILE.repeat(6000), after: 'z' });
      expect(byKey(run.data.tags)['𝔸'.repeat(250)]).toBe(`a${SMILE.repeat(7999)}`);
    });

    it('refuses a value holding a lone surrogate with 400 naming the entry, and writes nothing of the batch', async () => {
      const res = await t.api(`/runs/${runId}/log-batch`, {
        body: {
          params: [
            { key: 'half', value: `x${SMILE}`.slice(0, 2) },
            { key: 'later', value: 'kept?' },
          ],
        },
      });
      expect(res.status).toBe(400);
      expect(res.body.field).toBe('params[0].value');
      expect(res.body.message).toContain('lone UTF-16 surrogate');
      const params = (await t.api(`/runs/${runId}`)).body.run.data.params as { key: string }[];
      expect(params.map((p) => p.key)).not.toContain('later');
    });
  });
});
