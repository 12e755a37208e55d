import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3ArtifactStore } from '../src/index.js';
import { describeS3, newBucket, storeOptions } from './support/moto.js';

describeS3('S3ArtifactStore', () => {
  let store: S3ArtifactStore;
  let bucket: string;
  let root: string;

  beforeAll(async () => {
    bucket = await newBucket('presign');
    store = new S3ArtifactStore(storeOptions(bucket));
    root = `${store.experimentRoot('4')}/run/artifacts`;
    await store.put(root, 'eval/confusion.png', Buffer.from('png bytes'), { contentType: 'image/png' });
  });
  afterAll(() => store.close());

  describe('.presignDownload', () => {
    it('gives a URL that plain fetch can download without credentials', async () => {
      const url = await store.presignDownload(root, 'eval/confusion.png', 60);
      expect(url).toContain('X-Amz-Expires=60');
      const response = await fetch(url);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('image/png');
      expect(await response.text()).toBe('png bytes');
    });

    // S3 and R2 refuse a presigned URL after X-Amz-Date + X-Amz-Expires (both covered by the
    // signature). moto 5.2.5 does not enforce expiry, so this checks the signed lifetime itself.
    it('signs exactly the requested lifetime, starting now', async () => {
      const before = Math.floor(Date.now() / 1000);
      const url = new URL(await store.presignDownload(root, 'eval/confusion.png', 300));
      const after = Math.ceil(Date.now() / 1000);
      expect(url.searchParams.get('X-Amz-Expires')).toBe('300');
      const stamp = url.searchParams.get('X-Amz-Date') as string;
      const signedAt = Date.parse(stamp.replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, '$1-$2-$3T$4:$5:$6Z')) / 1000;
      expect(signedAt).toBeGreaterThanOrEqual(before);
      expect(signedAt).toBeLessThanOrEqual(after);
      expect(url.searchParams.get('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/);
      expect(url.search).not.toContain(encodeURIComponent('logbook-test-secret'));
    });

    it('serves a gzip-stored artifact with Content-Encoding: gzip', async () => {
      const gzip = new S3ArtifactStore(storeOptions(bucket, { artifactCompression: true }));
      await gzip.put(root, 'log.txt', Buffer.from('line\n'.repeat(1000)));
      const response = await fetch(await gzip.presignDownload(root, 'log.txt', 60), { headers: { 'accept-encoding': 'identity' } });
      expect(response.headers.get('content-encoding')).toBe('gzip');
      const body = Buffer.from(await response.arrayBuffer());
      // fetch decodes gzip itself when the header is set; either way the text is intact.
      const text = body.subarray(0, 2).equals(Buffer.from([0x1f, 0x8b])) ? gunzipSync(body).toString() : body.toString();
      expect(text).toBe('line\n'.repeat(1000));
      await gzip.close();
    });

    it('validates the lifetime and the object', async () => {
      await expect(store.presignDownload(root, 'eval/confusion.png', 0)).rejects.toMatchObject({ code: 'INVALID_PARAMETER_VALUE', field: 'expiresInSeconds' });
      await expect(store.presignDownload(root, 'eval/confusion.png', 8 * 86400)).rejects.toMatchObject({ code: 'INVALID_PARAMETER_VALUE' });
      await expect(store.presignDownload(root, 'missing.png', 60)).rejects.toMatchObject({ code: 'RESOURCE_DOES_NOT_EXIST' });
    });
  });
});
