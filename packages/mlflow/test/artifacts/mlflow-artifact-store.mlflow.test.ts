import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { expectCode, readAll } from '@logbook/testkit';
import { MlflowArtifactStore, MlflowStore } from '../../src/index.js';
import { describeLive, live } from '../helpers/live.js';

describeLive('MlflowArtifactStore (live server, local destination)', () => {
  let tracking: MlflowStore;
  beforeAll(() => {
    tracking = new MlflowStore({ trackingUri: live().uri });
  });
  afterAll(async () => {
    await tracking.close();
  });

  it("writes under a run's artifact URI, as the server assigned it", async () => {
    const experimentId = await tracking.createExperiment({ name: `lbk-art-${randomUUID()}` });
    const run = await tracking.createRun({ experimentId });
    expect(run.info.artifactUri).toMatch(/^mlflow-artifacts:\//);
    const store = new MlflowArtifactStore(tracking.transport);
    await store.put(run.info.artifactUri, 'model/weights.bin', Buffer.from('w'));
    expect(await store.list(run.info.artifactUri)).toEqual([{ path: 'model', isDir: true }]);
    expect(await store.list(run.info.artifactUri, 'model/weights.bin')).toEqual([]);
    await store.close(); // shares the tracking store's connections: closing it leaves them open
    expect((await tracking.getRun(run.info.runId)).info.runId).toBe(run.info.runId);
  });

  it('falls back to a single PUT when the server has no multipart upload for its destination (501)', async () => {
    const store = new MlflowArtifactStore({ trackingUri: live().uri }, { multipartThreshold: 1024, multipartPartSize: 1024 });
    const root = `mlflow-artifacts:/mpu/${randomUUID()}`;
    const bytes = randomBytes(5000);
    expect(await store.put(root, 'big.bin', bytes)).toEqual({ path: 'big.bin', isDir: false, fileSize: 5000 });
    expect((await readAll((await store.get(root, 'big.bin')).stream)).equals(bytes)).toBe(true);
    await store.put(root, 'again.bin', bytes); // remembered: no second mpu/create
    expect((await store.list(root)).map((f) => f.path)).toEqual(['again.bin', 'big.bin']);
    await store.close();
  });

  it('refuses an artifact over maxArtifactSize before sending it', async () => {
    const store = new MlflowArtifactStore({ trackingUri: live().uri }, { maxArtifactSize: 10 });
    const root = `mlflow-artifacts:/limits/${randomUUID()}`;
    await expectCode(store.put(root, 'x.bin', Buffer.alloc(11)), 'PAYLOAD_TOO_LARGE');
    expect(await store.list(root)).toEqual([]);
    await store.close();
  });
});
