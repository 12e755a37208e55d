import { describe, expect, it } from 'vitest';
import { MemoryArtifactStore, MemoryBackend, MemoryStore, createLogbook } from '../../src/index.js';

async function text(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

describe('memory: tracking URIs', () => {
  it('give createLogbook an empty in-memory backend of its own, with nothing registered', async () => {
    const options = { env: {}, cwd: '/nonexistent' };
    const a = await createLogbook({ trackingUri: 'memory:', logging: { drainOnExit: false } }, options);
    const b = await createLogbook({ trackingUri: 'memory:second', logging: { drainOnExit: false } }, options);
    try {
      expect(a.stores).toBeInstanceOf(MemoryBackend);
      expect(a.stores.tracking).toBeInstanceOf(MemoryStore);
      expect(a.stores.registry).toBe(a.stores.tracking);
      expect(a.stores.artifacts).toBeInstanceOf(MemoryArtifactStore);
      expect(b.stores).not.toBe(a.stores);

      const experimentId = await a.tracker.createExperiment('unit-test');
      const runId = await a.tracker.startRun(experimentId, 'trial');
      a.tracker.logParameters({ lr: 0.01 }, runId);
      for (let step = 0; step < 3; step++) a.tracker.logMetric('loss', 1 / (step + 1), step, runId, 1000 + step);
      await a.tracker.logArtifacts({ 'notes/summary.txt': Buffer.from('done') }, runId);
      await a.tracker.endRun(runId);

      const run = await a.tracker.getRun(runId);
      expect(run.info.status).toBe('FINISHED');
      expect(run.data.params).toEqual({ lr: '0.01' });
      expect(run.data.metrics).toEqual([{ key: 'loss', value: 1 / 3, timestamp: 1002, step: 2 }]);
      expect((await a.tracker.getMetricHistory(runId, 'loss')).map((m) => m.step)).toEqual([0, 1, 2]);
      expect(run.info.artifactUri).toMatch(/^memory:\/\/\/artifacts\//);
      expect(await text((await a.stores.artifacts.get(run.info.artifactUri, 'notes/summary.txt')).stream)).toBe('done');
      expect(await b.tracker.getExperimentByName('unit-test')).toBeUndefined();
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});

describe(MemoryStore, () => {
  it('returns copies: changing what a read returned never changes the store', async () => {
    const store = new MemoryStore();
    const run = await store.createRun({ experimentId: '0', tags: { team: 'survey' } });
    const read = await store.getRun(run.info.runId);
    (read.data.tags as Record<string, string>).team = 'changed';
    expect((await store.getRun(run.info.runId)).data.tags.team).toBe('survey');
  });

  it('refuses calls once closed', async () => {
    const store = new MemoryStore();
    await store.close();
    await store.close();
    await expect(store.getExperiment('0')).rejects.toMatchObject({ code: 'INVALID_STATE' });
  });

  it('refuses an artifact root that is not an absolute URI', () => {
    expect(() => new MemoryStore({ artifactRoot: 'relative/folder' })).toThrow(expect.objectContaining({ code: 'INVALID_CONFIGURATION' }));
  });
});
