import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { HeadObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, expect, it, describe } from 'vitest';
import { S3ArtifactStore } from '../src/index.js';
import { describeS3, newBucket, rawClient, readAll, storeOptions } from './support/moto.js';

describeS3('S3ArtifactStore', () => {
  const raw = rawClient();
  let bucket: string;
  let store: S3ArtifactStore;
  let root: string;

  beforeAll(async () => {
    bucket = await newBucket('store');
    store = new S3ArtifactStore(storeOptions(bucket));
    root = `${store.experimentRoot('7')}/0123456789abcdef0123456789abcdef/artifacts`;
  });
  afterAll(() => store.close());

  describe('.put / .get', () => {
    it('lays keys out per experiment and run, under the prefix', async () => {
      await store.put(root, 'model/weights.bin', Buffer.from('w'));
      const listed = await raw.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'logbook/7/' }));
      expect(listed.Contents?.map((o) => o.Key)).toContain('logbook/7/0123456789abcdef0123456789abcdef/artifacts/model/weights.bin');
      expect(store.rootUri).toBe(`s3://${bucket}/logbook`);
    });

    it('round-trips a Buffer, a stream and a file byte for byte', async () => {
      const bytes = randomBytes(300_000);
      const dir = await mkdtemp(join(tmpdir(), 'logbook-s3-'));
      try {
        await writeFile(join(dir, 'f.bin'), bytes);
        const infos = [
          await store.put(root, 'a/buffer.bin', bytes),
          await store.put(root, 'a/stream.bin', Readable.from([bytes.subarray(0, 1000), bytes.subarray(1000)])),
          await store.put(root, 'a/file.bin', { filePath: join(dir, 'f.bin') }, { contentType: 'application/x-test' }),
        ];
        expect(infos).toEqual(['buffer', 'stream', 'file'].map((n) => ({ path: `a/${n}.bin`, isDir: false, fileSize: bytes.length })));
        for (const name of ['buffer', 'stream', 'file']) {
          const download = await store.get(root, `a/${name}.bin`);
          expect(download.size).toBe(bytes.length);
          expect((await readAll(download.stream)).equals(bytes)).toBe(true);
        }
        expect((await store.get(root, 'a/file.bin')).contentType).toBe('application/x-test');
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });

    it('records the SHA-256 and size of a stream upload in object metadata', async () => {
      await store.put(root, 'meta/s.txt', Readable.from([Buffer.from('hello')]));
      const head = await raw.send(new HeadObjectCommand({ Bucket: bucket, Key: 'logbook/7/0123456789abcdef0123456789abcdef/artifacts/meta/s.txt' }));
      expect(head.Metadata).toMatchObject({
        'logbook-sha256': '2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824',
        'logbook-size': '5',
      });
    });

    it('replaces an existing file at the same path', async () => {
      await store.put(root, 'replace.txt', Buffer.from('one'));
      await store.put(root, 'replace.txt', Buffer.from('two!'));
      expect((await readAll((await store.get(root, 'replace.txt')).stream)).toString()).toBe('two!');
    });

    it('rejects traversal, absolute and encoded paths before any request', async () => {
      for (const path of ['../x', '/etc/passwd', 'a/%2e%2e/%2e%2e/x', 'a\\b']) {
        await expect(store.put(root, path, Buffer.from('x'))).rejects.toMatchObject({ code: 'INVALID_PARAMETER_VALUE' });
        await expect(store.get(root, path)).rejects.toMatchObject({ code: 'INVALID_PARAMETER_VALUE' });
      }
      await expect(store.put('s3://Bad_Bucket/x', 'a', Buffer.from('x'))).rejects.toMatchObject({ code: 'INVALID_PARAMETER_VALUE' });
      await expect(store.put('file:///tmp/x', 'a', Buffer.from('x'))).rejects.toMatchObject({ code: 'INVALID_PARAMETER_VALUE' });
    });

    it('says RESOURCE_DOES_NOT_EXIST for a missing key and a missing bucket', async () => {
      await expect(store.get(root, 'nope.txt')).rejects.toMatchObject({ code: 'RESOURCE_DOES_NOT_EXIST', message: expect.stringMatching(/^\[s3\] .*nope\.txt/) });
      await expect(store.get('s3://no-such-bucket-logbook/x', 'a')).rejects.toMatchObject({ code: 'RESOURCE_DOES_NOT_EXIST' });
    });

    it('passes server-side encryption settings on writes', async () => {
      const sse = new S3ArtifactStore(storeOptions(bucket, { serverSideEncryption: 'AES256' }));
      await sse.put(root, 'enc/buffer.bin', Buffer.from('secret'));
      await sse.put(root, 'enc/stream.bin', Readable.from([Buffer.from('secret')]));
      for (const name of ['buffer', 'stream']) {
        const head = await raw.send(new HeadObjectCommand({ Bucket: bucket, Key: `logbook/7/0123456789abcdef0123456789abcdef/artifacts/enc/${name}.bin` }));
        expect(head.ServerSideEncryption).toBe('AES256');
      }
      await sse.close();
    });
  });

  describe('.list / .delete', () => {
    it('lists direct children, directories first, and deletes files and directories', async () => {
      const run = `${store.experimentRoot('8')}/run1/artifacts`;
      for (const path of ['b.txt', 'a.txt', 'dir/x.txt', 'dir/sub/y.txt', 'dira.txt']) await store.put(run, path, Buffer.from(path));
      expect(await store.list(run)).toEqual([
        { path: 'dir', isDir: true },
        { path: 'a.txt', isDir: false, fileSize: 5 },
        { path: 'b.txt', isDir: false, fileSize: 5 },
        { path: 'dira.txt', isDir: false, fileSize: 8 },
      ]);
      expect(await store.list(run, 'dir')).toEqual([
        { path: 'dir/sub', isDir: true },
        { path: 'dir/x.txt', isDir: false, fileSize: 9 },
      ]);
      expect(await store.list(run, 'a.txt')).toEqual([]);
      await store.delete(run, 'dir');
      expect((await store.list(run)).map((f) => f.path)).toEqual(['a.txt', 'b.txt', 'dira.txt']);
      await store.delete(run, 'a.txt');
      await store.delete(run, 'never-there');
      expect((await store.list(run)).map((f) => f.path)).toEqual(['b.txt', 'dira.txt']);
      await store.delete(run);
      expect(await store.list(run)).toEqual([]);
    });
  });

  describe('.close', () => {
    it('is idempotent and refuses work afterwards', async () => {
      const s = new S3ArtifactStore(storeOptions(bucket));
      await s.close();
      await s.close();
      await expect(s.list(root)).rejects.toMatchObject({ code: 'INVALID_STATE' });
    });
  });
});
