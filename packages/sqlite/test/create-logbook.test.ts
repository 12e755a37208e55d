import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RunStatus, createLogbook, loadConfig, silentLogger } from '@logbook/core';
import { SqliteStore, sqliteBackend } from '../src/index.js';
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

  it('assigns run ids with the ID_GENERATOR and stamps the database with the CLOCK that createLogbook hands the provider', async () => {
    const path = join(tmp(), 'ids.db');
    const config = loadConfig({ trackingUri: path }, {}, tmp());
    const backend = await sqliteBackend.create(config, silentLogger, { now: () => 1_600_000_000_000, newId: () => 'station7-0001' });
    const experimentId = await backend.tracking.createExperiment({ name: 'ids' });
    expect((await backend.tracking.createRun({ experimentId })).info.runId).toBe('station7-0001');
    await expect(backend.tracking.createRun({ experimentId })).rejects.toMatchObject({ code: 'RESOURCE_ALREADY_EXISTS' });
    await backend.close();

    const store = new SqliteStore({ path });
    expect((await store.getExperiment(experimentId)).creationTime).toBe(1_600_000_000_000);
    expect((await store.getRun('station7-0001')).info.startTime).toBe(1_600_000_000_000);
    await store.close();
  });
});
