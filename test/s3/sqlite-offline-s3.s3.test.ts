// The offline setup of an observatory machine: the embedded SQLite store for runs, a local
// S3-compatible box for artifacts. Only configuration ties them together: createLogbook() routes
// s3:// artifact URIs to @logbook/s3 and gives new experiments an s3:// artifact root.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createLogbook } from '../../packages/core/src/index.js';
import type { Logbook } from '../../packages/core/src/index.js';
import '../../packages/sqlite/src/index.js';
import '../../packages/s3/src/index.js';
import { describeS3, endpoint, listKeys, newBucket, objectBytes, rawClient, readAll, testCredentials } from '../../packages/s3/test/support/moto.js';

describeS3('SQLite tracking with S3 artifacts', () => {
  const dir = mkdtempSync(join(tmpdir(), 'logbook-offline-s3-'));
  let bucket: string;
  let logbook: Logbook;

  beforeAll(async () => {
    bucket = await newBucket('offline');
    logbook = await createLogbook(
      {
        trackingUri: join(dir, 'logbook.db'),
        // Fields picked one by one: the AWS SDK adds a `$source` property to credential objects it used.
        s3: {
          bucket, prefix: 'survey', endpoint, forcePathStyle: true, region: 'us-east-1',
          accessKeyId: testCredentials.accessKeyId, secretAccessKey: testCredentials.secretAccessKey,
        },
        logging: { drainOnExit: false },
      },
      { env: {}, cwd: dir },
    );
  });
  afterAll(async () => {
    await logbook?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('puts new runs\' artifacts in the bucket, laid out per experiment and run, and reads them back', async () => {
    const { tracker } = logbook;
    const experimentId = await tracker.createExperiment('anomaly-detection/offline-s3');
    const runId = await tracker.startRun(experimentId, 'unet');
    const run = await tracker.getRun(runId);
    expect(run.info.artifactUri).toBe(`s3://${bucket}/survey/${experimentId}/${runId}/artifacts`);

    const weights = Buffer.from('weights '.repeat(1000));
    await tracker.logArtifacts({ 'model/weights.bin': weights }, runId);
    await tracker.endRun(runId);

    const key = `survey/${experimentId}/${runId}/artifacts/model/weights.bin`;
    expect(await listKeys(rawClient(), bucket, 'survey/')).toContain(key);
    expect((await objectBytes(rawClient(), bucket, key)).equals(weights)).toBe(true);
    const download = await logbook.stores.artifacts.get(run.info.artifactUri, 'model/weights.bin');
    expect((await readAll(download.stream)).equals(weights)).toBe(true);
  });

  it('still serves runs whose artifacts were stored on local disk before S3 was configured', async () => {
    const local = await logbook.stores.artifacts.put(`file://${join(dir, 'old-run/artifacts')}`, 'notes.txt', Buffer.from('kept'));
    expect(local.path).toBe('notes.txt');
    const listed = await logbook.stores.artifacts.list(`file://${join(dir, 'old-run/artifacts')}`);
    expect(listed.map((f) => f.path)).toEqual(['notes.txt']);
  });
});
