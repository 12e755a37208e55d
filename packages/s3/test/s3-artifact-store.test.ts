import { describe, expect, it } from 'vitest';
import { createS3ArtifactStore, S3ArtifactStore } from '../src/index.js';

const base = { bucket: 'ml-artifacts', accessKeyId: 'a', secretAccessKey: 'b', endpoint: 'http://127.0.0.1:9' };

describe('S3ArtifactStore', () => {
  describe('constructor', () => {
    it.each([
      [{ bucket: '' }, 'bucket'],
      [{ bucket: 'Bad_Name' }, 'bucket'],
      [{ accessKeyId: 'only-id', secretAccessKey: undefined }, 'secretAccessKey'],
      [{ partSize: 1024 }, 'partSize'],
      [{ queueSize: 0 }, 'queueSize'],
      [{ compressionLevel: 10 }, 'compressionLevel'],
      [{ maxArtifactSize: 200 * 1024 ** 3, partSize: 5 * 1024 ** 2 }, 'partSize'],
      [{ sseKmsKeyId: 'key', serverSideEncryption: 'AES256' }, 'sseKmsKeyId'],
    ])('refuses %o naming the option %s', (options, field) => {
      expect(() => new S3ArtifactStore({ ...base, ...options })).toThrow(expect.objectContaining({ code: 'INVALID_CONFIGURATION', field }));
    });

    it('derives experiment roots from bucket and prefix', async () => {
      const store = new S3ArtifactStore({ ...base, prefix: '/team/logbook/' });
      expect(store.rootUri).toBe('s3://ml-artifacts/team/logbook');
      expect(store.experimentRoot('12')).toBe('s3://ml-artifacts/team/logbook/12');
      expect(store.schemes).toEqual(['s3']);
      await store.close();
    });

    it("defaults the region to 'auto' (R2) and only computes checksums S3 requires", async () => {
      const store = new S3ArtifactStore(base);
      expect(await store.client.config.region()).toBe('auto');
      expect(await store.client.config.requestChecksumCalculation()).toBe('WHEN_REQUIRED');
      expect(await store.client.config.responseChecksumValidation()).toBe('WHEN_REQUIRED');
      await store.close();
    });
  });

  describe('.put', () => {
    it('refuses an oversized Buffer or declared size before any request (the endpoint is unreachable)', async () => {
      const store = new S3ArtifactStore({ ...base, maxArtifactSize: 10 });
      const root = 's3://ml-artifacts/p/1/r/artifacts';
      await expect(store.put(root, 'a.bin', Buffer.alloc(11))).rejects.toMatchObject({ code: 'PAYLOAD_TOO_LARGE', message: expect.stringContaining('maxArtifactSize is 10 bytes') });
      await expect(store.put(root, '', Buffer.alloc(1))).rejects.toMatchObject({ code: 'INVALID_PARAMETER_VALUE', field: 'path' });
      await store.close();
    });
  });
});

describe('createS3ArtifactStore', () => {
  it("builds a store from core's config and fails when config.s3 is missing", async () => {
    const store = createS3ArtifactStore({ s3: { bucket: 'ml-artifacts', prefix: 'x' }, artifactCompression: true, maxArtifactSize: 1024 });
    expect(store.rootUri).toBe('s3://ml-artifacts/x');
    await store.close();
    expect(() => createS3ArtifactStore({ artifactCompression: false, maxArtifactSize: 1 })).toThrow(expect.objectContaining({ code: 'INVALID_CONFIGURATION', field: 's3' }));
  });
});
