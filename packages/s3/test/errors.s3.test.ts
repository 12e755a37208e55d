import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3ArtifactStore } from '../src/index.js';
import { freePort, startMotoServer } from '../../../test/setup/moto-server.js';
import type { MotoServer } from '../../../test/setup/moto-server.js';
import { describeS3 } from './support/moto.js';

describeS3('S3ArtifactStore errors', () => {
  // A dedicated moto that checks credentials (the shared one accepts any).
  let strict: MotoServer;
  beforeAll(async () => {
    strict = await startMotoServer({ env: { INITIAL_NO_AUTH_ACTION_COUNT: '0' } });
  });
  afterAll(() => strict?.stop());

  describe('wrong credentials', () => {
    it('rejects with UNAUTHENTICATED or PERMISSION_DENIED, naming the object, never the secret', async () => {
      const store = new S3ArtifactStore({
        bucket: 'any-bucket',
        endpoint: strict.endpoint,
        forcePathStyle: true,
        accessKeyId: 'AKIAWRONGWRONGWRONG1',
        secretAccessKey: 'wrong-secret-value',
      });
      const root = 's3://any-bucket/p/1/r/artifacts';
      for (const call of [() => store.put(root, 'a.txt', Buffer.from('x')), () => store.get(root, 'a.txt'), () => store.list(root)]) {
        const error = (await call().catch((e: unknown) => e)) as Error & { code: string };
        expect(['UNAUTHENTICATED', 'PERMISSION_DENIED']).toContain(error.code);
        expect(error.message).toMatch(/^\[s3\] Cannot \w+ s3:\/\/any-bucket\/p\/1\/r\/artifacts/);
        expect(error.message).not.toContain('wrong-secret-value');
      }
      await store.close();
    });
  });

  describe('network down', () => {
    it('rejects with TEMPORARILY_UNAVAILABLE', async () => {
      const port = await freePort();
      const store = new S3ArtifactStore({
        bucket: 'any-bucket',
        endpoint: `http://127.0.0.1:${port}`,
        forcePathStyle: true,
        accessKeyId: 'a',
        secretAccessKey: 'b',
        maxAttempts: 1,
      });
      const root = 's3://any-bucket/p/1/r/artifacts';
      await expect(store.get(root, 'a.txt')).rejects.toMatchObject({ code: 'TEMPORARILY_UNAVAILABLE' });
      await expect(store.put(root, 'a.txt', Buffer.from('x'))).rejects.toMatchObject({ code: 'TEMPORARILY_UNAVAILABLE' });
      await store.close();
    });
  });
});
