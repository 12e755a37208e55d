import { Readable } from 'node:stream';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { S3ArtifactStore } from '../src/index.js';
import { S3FaultProxy } from './support/fault-proxy.js';
import { describeS3, endpoint, listKeys, newBucket, openUploads, rawClient, readAll, storeOptions } from './support/moto.js';

const MiB = 1024 * 1024;
const isPart = (url: string, n: number) => url.includes('uploadId=') && new URLSearchParams(url.split('?')[1]).get('partNumber') === String(n);

/** `total` MiB of data; `read()` says how many MiB were pulled. */
function counted(total: number): { stream: Readable; read: () => number } {
  let pulled = 0;
  const stream = Readable.from(
    (function* () {
      for (let i = 0; i < total; i++) {
        pulled += 1;
        yield Buffer.alloc(MiB, i);
      }
    })(),
  );
  return { stream, read: () => pulled };
}

describeS3('S3ArtifactStore under faults', () => {
  const raw = rawClient();
  let proxy: S3FaultProxy;
  let bucket: string;
  let store: S3ArtifactStore;
  const root = () => `s3://${bucket}/logbook/5/run/artifacts`;

  beforeAll(async () => {
    proxy = await S3FaultProxy.start(endpoint);
    bucket = await newBucket('faults');
    store = new S3ArtifactStore(storeOptions(bucket, { endpoint: proxy.uri, partSize: 5 * MiB, queueSize: 2, maxAttempts: 3 }));
  });
  beforeEach(() => {
    proxy.rule = () => 'pass';
    proxy.seen.length = 0;
  });
  afterAll(async () => {
    await store.close();
    await proxy.close();
  });

  describe('.put', () => {
    it('retries a failed part and completes the upload', async () => {
      let failures = 1;
      proxy.rule = (req) => (req.method === 'PUT' && isPart(req.url ?? '', 2) && failures-- > 0 ? { status: 503, code: 'SlowDown' } : 'pass');
      const source = counted(12);
      const info = await store.put(root(), 'retried.bin', source.stream);
      expect(info.fileSize).toBe(12 * MiB);
      expect(proxy.seen.filter((r) => r.method === 'PUT' && isPart(r.url, 2))).toHaveLength(2);
      const back = await readAll((await store.get(root(), 'retried.bin')).stream);
      expect(back.length).toBe(12 * MiB);
      expect(back[5 * MiB + 1]).toBe(5);
    });

    it('stops reading and aborts the multipart upload when a part fails every attempt', async () => {
      proxy.rule = (req) => (req.method === 'PUT' && isPart(req.url ?? '', 2) ? { status: 503, code: 'SlowDown' } : 'pass');
      // 1000 MiB offered (made lazily, 1 MiB at a time): reading stops at the failure, far before the end.
      const source = counted(1000);
      await expect(store.put(root(), 'failed.bin', source.stream)).rejects.toMatchObject({ code: 'TEMPORARILY_UNAVAILABLE' });
      expect(proxy.seen.filter((r) => r.method === 'PUT' && isPart(r.url, 2))).toHaveLength(3);
      expect(proxy.seen.some((r) => r.method === 'DELETE' && r.url.includes('uploadId='))).toBe(true);
      expect(source.read()).toBeLessThan(1000);
      expect(await openUploads(raw, bucket)).toBe(0);
      expect(await listKeys(raw, bucket, 'logbook/5/run/artifacts/failed')).toEqual([]);
    });

    it('maps a rejected write (missing bucket) to RESOURCE_DOES_NOT_EXIST', async () => {
      await expect(store.put('s3://no-such-bucket-logbook/x', 'a.bin', Readable.from([Buffer.from('x')]))).rejects.toMatchObject({ code: 'RESOURCE_DOES_NOT_EXIST' });
    });
  });

  describe('.get', () => {
    it('fails the stream with TEMPORARILY_UNAVAILABLE when the connection drops mid-download', async () => {
      await store.put(root(), 'cut.bin', Buffer.alloc(3 * MiB, 7));
      proxy.rule = (req) => (req.method === 'GET' && (req.url ?? '').split('?')[0]?.endsWith('/cut.bin') === true ? { cutAfterBytes: MiB } : 'pass');
      const download = await store.get(root(), 'cut.bin');
      await expect(readAll(download.stream)).rejects.toMatchObject({ name: 'LogbookError', code: 'TEMPORARILY_UNAVAILABLE' });
    });
  });
});
