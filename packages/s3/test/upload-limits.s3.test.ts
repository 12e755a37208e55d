import { Readable } from 'node:stream';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3ArtifactStore } from '../src/index.js';
import { describeS3, newBucket, openUploads, rawClient, storeOptions } from './support/moto.js';

const MiB = 1024 * 1024;

/** Yields `chunks` MiB of data, then fails (a training job dying mid-upload). */
function failingSource(chunks: number): Readable {
  return Readable.from(
    (async function* () {
      for (let i = 0; i < chunks; i++) yield Buffer.alloc(MiB, i);
      throw new Error('disk read failed');
    })(),
  );
}

/** `chunks` MiB of data with no size announced. */
function source(chunks: number): Readable {
  return Readable.from(
    (function* () {
      for (let i = 0; i < chunks; i++) yield Buffer.alloc(MiB, i);
    })(),
  );
}

describeS3('S3ArtifactStore uploads', () => {
  const raw = rawClient();
  let bucket: string;
  let store: S3ArtifactStore;
  const root = (run: string) => `s3://${bucket}/logbook/1/${run}/artifacts`;
  const keys = async () => (await raw.send(new ListObjectsV2Command({ Bucket: bucket }))).Contents?.map((o) => o.Key) ?? [];

  beforeAll(async () => {
    bucket = await newBucket('limits');
    store = new S3ArtifactStore(storeOptions(bucket, { partSize: 5 * MiB, queueSize: 2, maxArtifactSize: 12 * MiB }));
  });
  afterAll(() => store.close());

  describe('.put multipart', () => {
    it('uploads a stream larger than one part in parallel parts', async () => {
      const info = await store.put(root('mp'), 'big.bin', source(11));
      expect(info.fileSize).toBe(11 * MiB);
      expect(await openUploads(raw, bucket)).toBe(0);
    });

    it('aborts the multipart upload when the source stream fails midway: no orphan parts', async () => {
      const error = await store.put(root('broken'), 'model.bin', failingSource(11)).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'CANCELLED', message: expect.stringContaining('disk read failed') });
      expect(await openUploads(raw, bucket)).toBe(0);
      expect(await keys()).not.toContain('logbook/1/broken/artifacts/model.bin');
    });
  });

  describe('.put maxArtifactSize', () => {
    it('refuses a known size over the limit before sending a byte', async () => {
      const tooBig = Buffer.alloc(12 * MiB + 1);
      await expect(store.put(root('lim'), 'buf.bin', tooBig)).rejects.toMatchObject({
        code: 'PAYLOAD_TOO_LARGE',
        field: 'maxArtifactSize',
        message: expect.stringContaining(`${12 * MiB} bytes`),
      });
      const declared = new Readable({
        read() {
          throw new Error('must not be read');
        },
      });
      await expect(store.put(root('lim'), 'declared.bin', declared, { size: 13 * MiB })).rejects.toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
      expect(await keys()).not.toContain('logbook/1/lim/artifacts/buf.bin');
    });

    it('aborts a stream of unknown size once it passes the limit, leaving nothing behind', async () => {
      await expect(store.put(root('lim'), 'stream.bin', source(20))).rejects.toMatchObject({
        code: 'PAYLOAD_TOO_LARGE',
        message: expect.stringContaining(`maxArtifactSize is ${12 * MiB} bytes`),
      });
      expect(await openUploads(raw, bucket)).toBe(0);
      expect(await keys()).not.toContain('logbook/1/lim/artifacts/stream.bin');
    });

    it('corrects the recorded size when options.size was wrong', async () => {
      await store.put(root('lim'), 'wrong-size.bin', source(1), { size: 5 });
      const download = await store.get(root('lim'), 'wrong-size.bin');
      expect(download.size).toBe(MiB);
    });
  });
});
