// An MLflow server that proxies artifacts to S3 (`--artifacts-destination s3://…`, started through
// @logbook/mlflow's MlflowServer with MLFLOW_S3_ENDPOINT_URL pointing at moto): artifacts logged
// through MlflowArtifactStore land in the bucket, under the same layout S3ArtifactStore uses, and
// S3ArtifactStore reads them back from the bucket directly.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { MlflowArtifactStore, MlflowServer } from '../../packages/mlflow/src/index.js';
import { S3ArtifactStore } from '../../packages/s3/src/index.js';
import { endpoint, listKeys, newBucket, objectBytes, rawClient, readAll, testCredentials } from '../../packages/s3/test/support/moto.js';

// Skipped with the S3 or the MLflow tests (LOGBOOK_SKIP_S3=1 / LOGBOOK_SKIP_MLFLOW=1, never in CI).
describe.skipIf(endpoint === '' || inject('mlflow') === null)('MLflow server with S3 artifact storage', () => {
  const raw = rawClient();
  const dir = mkdtempSync(join(tmpdir(), 'logbook-e2e-s3-'));
  let bucket: string;
  let server: MlflowServer;
  let uri: string;

  beforeAll(async () => {
    bucket = await newBucket('mlflow-e2e');
    server = new MlflowServer({ environment: 'development', workers: 1 })
      .setupDatabaseBackend(`sqlite:///${join(dir, 'mlflow.db')}`)
      .configureArtifactStore({ kind: 's3', bucket, prefix: 'mlflow', endpoint, forcePathStyle: true, region: 'us-east-1', ...testCredentials });
    uri = await server.startTrackingServer('127.0.0.1', 0);
  }, 180_000);
  afterAll(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  async function post<T>(path: string, body: unknown): Promise<T> {
    const response = await fetch(`${uri}/api/2.0/mlflow/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect(response.status).toBe(200);
    return (await response.json()) as T;
  }

  describe('MlflowArtifactStore.put', () => {
    it('stores the artifact in the bucket, where S3ArtifactStore reads it', async () => {
      const { experiment_id: experimentId } = await post<{ experiment_id: string }>('experiments/create', { name: `e2e-s3-${Date.now()}` });
      const { run } = await post<{ run: { info: { run_id: string; artifact_uri: string } } }>('runs/create', { experiment_id: experimentId, start_time: Date.now() });
      expect(run.info.artifact_uri).toBe(`mlflow-artifacts:/${experimentId}/${run.info.run_id}/artifacts`);

      const proxy = new MlflowArtifactStore({ trackingUri: uri });
      const weights = Buffer.from('weights '.repeat(4096));
      await proxy.put(run.info.artifact_uri, 'model/weights.bin', Readable.from([weights]));
      await proxy.close();

      const key = `mlflow/${experimentId}/${run.info.run_id}/artifacts/model/weights.bin`;
      expect(await listKeys(raw, bucket, 'mlflow/')).toEqual([key]);
      expect((await objectBytes(raw, bucket, key)).equals(weights)).toBe(true);

      const direct = new S3ArtifactStore({ bucket, endpoint, forcePathStyle: true, ...testCredentials });
      const root = `s3://${bucket}/mlflow/${experimentId}/${run.info.run_id}/artifacts`;
      expect(await direct.list(root)).toEqual([{ path: 'model', isDir: true }]);
      expect((await readAll((await direct.get(root, 'model/weights.bin')).stream)).equals(weights)).toBe(true);
      await direct.close();
    }, 120_000);
  });
});
