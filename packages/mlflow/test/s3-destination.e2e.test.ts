import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { readAll } from '@logbook/testkit';
import { MlflowArtifactStore, MlflowServer } from '../src/index.js';

// MlflowServer proxying artifacts to an S3-compatible store (moto, started by test/setup/s3.ts):
// the R2 set-up of docker/compose.yaml, and the proxied multipart upload path (mpu/create →
// presigned part PUTs → mpu/complete) that a local destination does not offer.
const endpoint = inject('s3Endpoint');
const describeS3 = (endpoint === '' || inject('mlflow') === null ? describe.skip : describe) as typeof describe;
const MIB = 1024 * 1024;

describeS3('MlflowServer with an S3 artifact destination', () => {
  const bucket = `lbk-mlflow-${randomBytes(4).toString('hex')}`;
  const secretAccessKey = `secret-${randomBytes(8).toString('hex')}`;
  const dir = mkdtempSync(join(tmpdir(), 'lbk-mlflow-s3-'));
  let server: MlflowServer;
  let uri: string;

  beforeAll(async () => {
    expect((await fetch(`${endpoint}/${bucket}`, { method: 'PUT' })).status).toBe(200);
    server = new MlflowServer({ workDir: join(dir, 'work'), maxRestarts: 0 })
      .setupDatabaseBackend(`sqlite:///${join(dir, 'mlflow.db')}`)
      .configureArtifactStore({ kind: 's3', bucket, prefix: 'mlflow', endpoint, region: 'us-east-1', forcePathStyle: true, accessKeyId: 'test', secretAccessKey });
    uri = await server.startTrackingServer('127.0.0.1', 0);
  }, 600_000);
  afterAll(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('uploads a large file with proxied multipart and reads it back byte for byte', async () => {
    const store = new MlflowArtifactStore({ trackingUri: uri }, { multipartThreshold: 5 * MIB, multipartPartSize: 5 * MIB });
    const root = `mlflow-artifacts:/e2e/${randomUUID()}`;
    const bytes = randomBytes(11 * MIB);
    expect(await store.put(root, 'model/weights.bin', bytes)).toEqual({ path: 'model/weights.bin', isDir: false, fileSize: bytes.length });
    const back = await readAll((await store.get(root, 'model/weights.bin')).stream);
    expect(createHash('sha256').update(back).digest('hex')).toBe(createHash('sha256').update(bytes).digest('hex'));
    // A multipart object's ETag is "<md5 of part md5s>-<parts>": proof it did not go as one PUT.
    const key = `mlflow/${root.slice('mlflow-artifacts:/'.length)}/model/weights.bin`;
    const head = await fetch(`${endpoint}/${bucket}/${key}`, { method: 'HEAD' });
    expect(head.headers.get('etag')).toMatch(/-3"?$/);
    expect(await store.list(root, 'model')).toEqual([{ path: 'model/weights.bin', isDir: false, fileSize: bytes.length }]);
    await store.close();
  });

  it('keeps the S3 secret out of the command line and the captured logs', async () => {
    const status = await server.status();
    expect(JSON.stringify(status) + server.logs().join('\n')).not.toContain(secretAccessKey);
  });
});
