import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeleteObjectCommand, HeadObjectCommand } from '@aws-sdk/client-s3';
import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleForNode } from '../../../bench/support/bundle.mjs';
import { runJsonChild } from './support/child.js';
import { describeS3, endpoint, newBucket, openUploads, rawClient } from './support/moto.js';
import type { TransferJob, TransferResult } from './support/transfer.js';

const MiB = 1024 * 1024;
const SIZE = 256 * MiB;
/** A whole-file buffer alone would exceed this; the streaming path stays far below (~140 MB measured). */
const RSS_BOUND_MB = 200;

describeS3('S3ArtifactStore large artifacts', () => {
  const raw = rawClient();
  const bundleDir = join(tmpdir(), `logbook-s3-child-${process.pid}`);
  let child: string;
  let bucket: string;

  beforeAll(async () => {
    [child, bucket] = await Promise.all([bundleForNode('packages/s3/test/fixtures/transfer-child.ts', bundleDir), newBucket('large')]);
  });

  afterAll(() => rm(bundleDir, { recursive: true, force: true }));

  describe('.put / .get', () => {
    it(`streams ${SIZE / MiB} MiB up and down with peak RSS under ${RSS_BOUND_MB} MB`, async () => {
      const job: TransferJob = {
        endpoint,
        bucket,
        mode: 'store',
        source: { generateBytes: SIZE },
        downloadTo: '/dev/null',
        partSize: 8 * MiB,
        queueSize: 4,
      };
      const result = await runJsonChild<TransferResult>(child, job);
      console.info(`[s3] ${SIZE / MiB} MiB through S3ArtifactStore: ${JSON.stringify(result)}`);
      expect(result.bytes).toBe(SIZE);
      expect(result.peakRssMb).toBeLessThan(RSS_BOUND_MB);
      const head = await raw.send(new HeadObjectCommand({ Bucket: bucket, Key: 'bench/store.bin' }));
      expect(head.ContentLength).toBe(SIZE);
      expect(head.Metadata?.['logbook-sha256']).toBe(result.downloadSha256);
      expect(await openUploads(raw, bucket)).toBe(0);
      await raw.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'bench/store.bin' }));
    }, 300_000);
  });
});
