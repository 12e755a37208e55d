import { expect, it } from 'vitest';
import { createLogbook, isLogbookError } from '@logbook/core';
import { registeredBackends } from '@logbook/core/spi';
import { readAll, uniqueName } from '@logbook/testkit';
import { MlflowArtifactStore, MlflowStore } from '../src/index.js';
import { describeLive, live } from './helpers/live.js';

describeLive('the mlflow backend plug-in', () => {
  it('is registered on import for http(s) tracking URIs', () => {
    expect(registeredBackends()).toContain('mlflow');
  });

  it('serves createLogbook end to end: experiment, run, buffered metrics, params, artifacts', async () => {
    // Without the spool, the logbook's stores are the MLflow backend's own (the spool wraps them).
    const lb = await createLogbook({ trackingUri: live().uri, spool: { enabled: false } }, { env: {} });
    try {
      expect(lb.stores.tracking).toBeInstanceOf(MlflowStore);
      expect(lb.stores.artifacts).toBeInstanceOf(MlflowArtifactStore);
      const experimentId = await lb.tracker.getOrCreateExperiment(uniqueName('backend'));
      const runId = await lb.tracker.startRun(experimentId, 'via-createLogbook');
      lb.tracker.logParameters({ optimizer: { lr: 0.01 } }, runId);
      for (let step = 0; step < 1500; step++) lb.tracker.logMetrics({ loss: 1 / (step + 1) }, step, runId);
      await lb.tracker.logArtifacts({ 'notes/readme.txt': Buffer.from('hello') }, runId);
      await lb.tracker.endRun(runId);

      const direct = new MlflowStore({ trackingUri: live().uri });
      const run = await direct.getRun(runId);
      expect(run.info.status).toBe('FINISHED');
      expect(run.data.params).toMatchObject({ 'optimizer.lr': '0.01' });
      expect((await direct.getMetricHistory(runId, 'loss')).items).toHaveLength(1500);
      const file = await lb.stores.artifacts.get(run.info.artifactUri, 'notes/readme.txt');
      expect((await readAll(file.stream)).toString()).toBe('hello');
      await direct.close();
    } finally {
      await lb.close();
    }
  });

  it('fails fast on an unreachable server with a typed error, never into the logging loop', async () => {
    const lb = await createLogbook({ trackingUri: 'http://127.0.0.1:9', http: { maxRetries: 0 }, spool: { enabled: false } }, { env: {} });
    let error: unknown;
    try {
      await lb.tracker.getOrCreateExperiment('x');
    } catch (e) {
      error = e;
    }
    expect(isLogbookError(error, 'TEMPORARILY_UNAVAILABLE')).toBe(true);
    await lb.close();
  });
});
