import { PutObjectCommand, HeadObjectCommand, GetObjectCommand } from '@aws-sdk/client-s3';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3ArtifactStore } from '../src/index.js';
import { describeS3, newBucket, rawClient, readAll, storeOptions } from './support/moto.js';

describeS3('S3ArtifactStore integrity', () => {
  const raw = rawClient();
  let bucket: string;
  let plain: S3ArtifactStore;
  let gzip: S3ArtifactStore;
  const root = () => `s3://${bucket}/logbook/2/run/artifacts`;
  const key = (path: string) => `logbook/2/run/artifacts/${path}`;
  const text = Buffer.from('epoch,loss\n'.repeat(50_000));

  beforeAll(async () => {
    bucket = await newBucket('integrity');
    plain = new S3ArtifactStore(storeOptions(bucket));
    gzip = new S3ArtifactStore(storeOptions(bucket, { artifactCompression: true }));
  });
  afterAll(async () => {
    await plain.close();
    await gzip.close();
  });

  describe('artifactCompression', () => {
    it('stores compressible data gzip-compressed and returns the identical bytes', async () => {
      await gzip.put(root(), 'log.csv', text);
      await gzip.put(root(), 'stream.csv', Readable.from([text]));
      const head = await raw.send(new HeadObjectCommand({ Bucket: bucket, Key: key('log.csv') }));
      expect(head.ContentLength).toBeLessThan(text.length / 10);
      expect(head.Metadata).toMatchObject({ 'logbook-compression': 'gzip', 'logbook-size': String(text.length) });
      for (const path of ['log.csv', 'stream.csv']) {
        const download = await gzip.get(root(), path);
        expect(download.size).toBe(text.length);
        expect((await readAll(download.stream)).equals(text)).toBe(true);
      }
      // Any store reads it back: compression is recorded on the object, not in the store's options.
      expect((await readAll((await plain.get(root(), 'log.csv')).stream)).equals(text)).toBe(true);
      expect((await gzip.list(root())).find((f) => f.path === 'log.csv')).toEqual({ path: 'log.csv', isDir: false, fileSize: text.length });
    });
  });

  describe('.get checksum', () => {
    it('fails the stream with DATA_LOSS when the object was changed behind the store', async () => {
      await plain.put(root(), 'model.bin', text);
      const tampered = Buffer.from(text);
      tampered[1000] = 0x21;
      const { Metadata } = await raw.send(new HeadObjectCommand({ Bucket: bucket, Key: key('model.bin') }));
      await raw.send(new PutObjectCommand({ Bucket: bucket, Key: key('model.bin'), Body: tampered, Metadata }));
      const download = await plain.get(root(), 'model.bin');
      await expect(readAll(download.stream)).rejects.toMatchObject({ code: 'DATA_LOSS', message: expect.stringContaining('SHA-256') });
    });

    it('detects a truncated object and a corrupt gzip body', async () => {
      await plain.put(root(), 'short.bin', text);
      const { Metadata } = await raw.send(new HeadObjectCommand({ Bucket: bucket, Key: key('short.bin') }));
      await raw.send(new PutObjectCommand({ Bucket: bucket, Key: key('short.bin'), Body: text.subarray(0, 100), Metadata }));
      await expect(readAll((await plain.get(root(), 'short.bin')).stream)).rejects.toMatchObject({ code: 'DATA_LOSS' });

      await gzip.put(root(), 'zipped.csv', text);
      const zipped = await raw.send(new GetObjectCommand({ Bucket: bucket, Key: key('zipped.csv') }));
      const bytes = Buffer.from(await (zipped.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray());
      await raw.send(new PutObjectCommand({ Bucket: bucket, Key: key('zipped.csv'), Body: bytes.subarray(0, bytes.length - 20), Metadata: zipped.Metadata }));
      await expect(readAll((await gzip.get(root(), 'zipped.csv')).stream)).rejects.toMatchObject({ name: 'LogbookError' });
    });

    it('serves objects written by other tools (no Logbook metadata) unchecked', async () => {
      await raw.send(new PutObjectCommand({ Bucket: bucket, Key: key('mlflow.txt'), Body: 'from mlflow' }));
      const download = await plain.get(root(), 'mlflow.txt');
      expect(download.size).toBe(11);
      expect((await readAll(download.stream)).toString()).toBe('from mlflow');
    });
  });
});
