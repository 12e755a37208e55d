import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createLogbook, isLogbookError } from '@logbook/core';
import type { Logbook } from '@logbook/core';
import { uniqueName } from '@logbook/testkit';
import { MlflowStore } from '../src/index.js';
import { describeLive, live } from './helpers/live.js';

// Values outside the BMP at MLflow's limits, written through Logbook's MLflow backend and read
// back through MLflow's own Python client. Counting UTF-16 units, Logbook used to cut such values
// to half their length or inside a surrogate pair, and MLflow 3.17 then stored '' for the value
// and silently dropped every later param and tag of the log-batch (HTTP 200).

const python = fileURLToPath(new URL('../../../.cache/venv/bin/python', import.meta.url));
const READ_RUN = [
  'import json, sys',
  'from mlflow.tracking import MlflowClient',
  'run = MlflowClient(sys.argv[1]).get_run(sys.argv[2])',
  'print(json.dumps({"name": run.info.run_name, "params": run.data.params, "tags": run.data.tags}))',
].join('\n');

interface PythonView {
  readonly name: string;
  readonly params: Record<string, string>;
  readonly tags: Record<string, string>;
}

async function readWithPython(runId: string): Promise<PythonView> {
  const { stdout } = await promisify(execFile)(python, ['-c', READ_RUN, live().uri, runId], { timeout: 120_000, maxBuffer: 16 << 20 });
  return JSON.parse(stdout) as PythonView;
}

const SMILE = '😀';
const A = '𝔸';

describeLive("non-BMP values through the MLflow backend, read by MLflow's Python client", () => {
  let lb: Logbook;
  const errors: unknown[] = [];
  beforeAll(async () => {
    lb = await createLogbook(
      { trackingUri: live().uri },
      {
        env: {},
        onError: (error) => {
          errors.push(error);
        },
      },
    );
  });
  afterAll(async () => {
    await lb?.close();
  });

  it('stores every param and tag of one log-batch exactly: at the limit, truncated by code point, and the ones after', async () => {
    const experimentId = await lb.tracker.getOrCreateExperiment(uniqueName('unicode'));
    const runId = await lb.tracker.startRun(experimentId, SMILE.repeat(250), { tags: { start_edge: SMILE.repeat(8000), start_over: `a${SMILE.repeat(8000)}` } });
    lb.tracker.logParameters(
      {
        p_edge: SMILE.repeat(6000),
        p_mixed: `a${A.repeat(5999)}`,
        p_over: `a${SMILE.repeat(6000)}`,
        [A.repeat(250)]: 'long key',
        after_1: 'x',
        after_2: 'y',
      },
      runId,
    );
    lb.tracker.setTags({ t_edge: SMILE.repeat(8000), t_over: `a${A.repeat(8000)}`, t_after: 'z' }, runId);
    await lb.tracker.flush(runId);

    const seen = await readWithPython(runId);
    expect(errors).toEqual([]);
    expect(seen.name).toBe(SMILE.repeat(250));
    expect(seen.params).toEqual({
      p_edge: SMILE.repeat(6000),
      p_mixed: `a${A.repeat(5999)}`,
      p_over: `a${SMILE.repeat(5999)}`,
      [A.repeat(250)]: 'long key',
      after_1: 'x',
      after_2: 'y',
    });
    expect(seen.tags).toMatchObject({
      start_edge: SMILE.repeat(8000),
      start_over: `a${SMILE.repeat(7999)}`,
      t_edge: SMILE.repeat(8000),
      t_over: `a${A.repeat(7999)}`,
      t_after: 'z',
    });
  });

  it('refuses a value with a lone surrogate before it reaches MLflow, and keeps the rest of the call', async () => {
    const experimentId = await lb.tracker.getOrCreateExperiment(uniqueName('unicode'));
    const runId = await lb.tracker.startRun(experimentId, 'lone');
    lb.tracker.logParameters({ before: '1', broken: `x${SMILE}`.slice(0, 2), later: '2' }, runId);
    lb.tracker.setTags({ broken_tag: '\ude00', later_tag: '3' }, runId);
    await lb.tracker.flush(runId);
    expect(errors.map((e) => isLogbookError(e, 'INVALID_PARAMETER_VALUE') && e.field)).toEqual(['params.broken', 'tags.broken_tag']);
    errors.length = 0;

    // Straight to the store, one log-batch: refused whole, so nothing after it is lost silently.
    const store = new MlflowStore({ trackingUri: live().uri });
    try {
      const refused = store.logBatch(runId, {
        params: [
          { key: 'direct', value: '\ud83d' },
          { key: 'direct_after', value: '4' },
        ],
      });
      await expect(refused).rejects.toMatchObject({ code: 'INVALID_PARAMETER_VALUE', field: 'params[0].value' });
      // The registry calls refuse it too.
      const name = uniqueName('unicode-model');
      await expect(store.createRegisteredModel({ name, description: 'x\ud83d' })).rejects.toMatchObject({ code: 'INVALID_PARAMETER_VALUE', field: 'description' });
      await store.createRegisteredModel({ name, description: SMILE.repeat(10) });
      await expect(store.setRegisteredModelTag(name, 'k', '\ude00')).rejects.toMatchObject({ code: 'INVALID_PARAMETER_VALUE', field: 'value' });
      expect((await store.getRegisteredModel(name)).description).toBe(SMILE.repeat(10));
    } finally {
      await store.close();
    }

    const seen = await readWithPython(runId);
    expect(seen.params).toEqual({ before: '1', later: '2' });
    expect(seen.tags['later_tag']).toBe('3');
    expect(seen.tags).not.toHaveProperty('broken_tag');
  });
});
