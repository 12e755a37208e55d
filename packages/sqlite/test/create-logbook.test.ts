import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RunStatus, createLogbook } from '@logbook/core';
import { SqliteStore } from '../src/index.js';
import { useTempDir } from './helpers.js';

// End to end through core: the backend registered on import serves a plain .db path.
describe('createLogbook with the sqlite backend', () => {
  const tmp = useTempDir();

  it('opens the file, logs through the tracker, and the points are in the file after close', async () => {
    const path = join(tmp(), 'lb.db');
    const logbook = await createLogbook({ trackingUri: path, logging: { drainOnExit: false } });
    expect(logbook.stores.tracking).toBeInstanceOf(SqliteStore);
    const experimentId = await logbook.tracker.getOrCreateExperiment('survey/unet');
    const runId = await logbook.tracker.startRun(experimentId, 'baseline');
    logbook.tracker.logParameters({ optimizer: { lr: 0.001 } }, runId);
    for (let step = 0; step < 2500; step++) logbook.tracker.logMetric('loss', 1 / (step + 1), step, runId);
    await logbook.tracker.endRun(runId, RunStatus.FINISHED);
    await logbook.close();

    const store = new SqliteStore({ path });
    const run = await store.getRun(runId);
    expect(run.info.status).toBe('FINISHED');
    expect(run.data.params['optimizer.lr']).toBe('0.001');
    expect((await store.getMetricHistory(runId, 'loss')).items).toHaveLength(2500);
    await store.close();
  });
});
