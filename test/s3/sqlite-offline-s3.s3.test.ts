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
          bucket,
          prefix: 'survey',
          endpoint,
          forcePathStyle: true,
          region: 'us-east-1',
          accessKeyId: testCredentials.accessKeyId,
          secretAccessKey: testCredentials.secretAccessKey,
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

  it("puts new runs' artifacts in the bucket, laid out per experiment and run, and reads them back", async () => {
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

describeS3('artifactCompression with SQLite tracking', () => {
  const dir = mkdtempSync(join(tmpdir(), 'logbook-offline-gzip-'));
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('gzips artifacts in the bucket and reads them back as written when S3 takes new experiments', async () => {
    const bucket = await newBucket('gzip');
    const logbook = await createLogbook(
      {
        trackingUri: join(dir, 'gzip.db'),
        artifactCompression: true,
        s3: {
          bucket,
          prefix: 'z',
          endpoint,
          forcePathStyle: true,
          region: 'us-east-1',
          accessKeyId: testCredentials.accessKeyId,
          secretAccessKey: testCredentials.secretAccessKey,
        },
        logging: { drainOnExit: false },
      },
      { env: {}, cwd: dir },
    );
    try {
      const runId = await logbook.tracker.startRun(await logbook.tracker.createExperiment('gzip'));
      const text = Buffer.from('loss 0.1\n'.repeat(2000));
      await logbook.tracker.logArtifacts({ 'log.txt': text }, runId);
      const run = await logbook.tracker.getRun(runId);
      const key = (await listKeys(rawClient(), bucket, 'z/')).find((k) => k.endsWith('/log.txt'))!;
      const stored = await objectBytes(rawClient(), bucket, key);
      expect([stored[0], stored[1]]).toEqual([0x1f, 0x8b]);
      expect(stored.length).toBeLessThan(text.length / 10);
      expect((await readAll((await logbook.stores.artifacts.get(run.info.artifactUri, 'log.txt')).stream)).equals(text)).toBe(true);
    } finally {
      await logbook.close();
    }
  });

  it('gzips on local disk too when new experiments write there (no s3 section), reading back the same bytes', async () => {
    const logbook = await createLogbook({ trackingUri: join(dir, 'local.db'), artifactCompression: true, logging: { drainOnExit: false } }, { env: {}, cwd: dir });
    try {
      const runId = await logbook.tracker.startRun(await logbook.tracker.getOrCreateExperiment('local-gzip'));
      const text = Buffer.from('line of a training log\n'.repeat(2000));
      await logbook.tracker.logArtifacts({ 'log.txt': text }, runId);
      const run = await logbook.tracker.getRun(runId);
      expect(run.info.artifactUri.startsWith('file:')).toBe(true);
      expect((await readAll((await logbook.stores.artifacts.get(run.info.artifactUri, 'log.txt')).stream)).equals(text)).toBe(true);
    } finally {
      await logbook.close();
    }
  });
});
