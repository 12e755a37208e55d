import { container } from 'tsyringe';
import { describe, expect, it } from 'vitest';
import { BatchingLogger, MemoryArtifactStore, MemoryBackend, MemoryStore } from '../../src/index.js';

// tsyringe disposes what a container constructed when the container is disposed (its Disposable:
// a dispose() method); the batching logger and the stores have one that closes them.
describe('dispose()', () => {
  it('closes the memory stores a container constructed when the container is disposed', async () => {
    const child = container.createChildContainer();
    child.registerSingleton(MemoryStore);
    child.registerSingleton(MemoryArtifactStore);
    const store = child.resolve(MemoryStore);
    const artifacts = child.resolve(MemoryArtifactStore);
    await store.createExperiment({ name: 'before' });
    await child.dispose();
    await expect(store.createExperiment({ name: 'after' })).rejects.toMatchObject({ code: 'INVALID_STATE' });
    await expect(artifacts.list('memory:///artifacts/1')).rejects.toMatchObject({ code: 'INVALID_STATE' });
  });

  it('drains the batching logger like close(), once however often it is called', async () => {
    const backend = new MemoryBackend();
    const experimentId = await backend.tracking.createExperiment({ name: 'dispose' });
    const run = await backend.tracking.createRun({ experimentId, startTime: 1 });
    const logger = new BatchingLogger(backend.tracking, { drainOnExit: false, flushIntervalMs: 60_000 });
    logger.logMetric(run.info.runId, 'loss', 0.5, 0, 2);
    await Promise.all([logger.dispose(), logger.dispose(), logger.close()]);
    expect((await backend.tracking.getMetricHistory(run.info.runId, 'loss')).items).toHaveLength(1);
    await backend.dispose();
    await expect(backend.tracking.getRun(run.info.runId)).rejects.toMatchObject({ code: 'INVALID_STATE' });
  });
});
