import { createGunzip } from 'node:zlib';
import { pipeline } from 'node:stream';
import type { Readable, Transform } from 'node:stream';
import { GetObjectCommand, HeadObjectCommand } from '@aws-sdk/client-s3';
import type { S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { LogbookError } from '@logbook/core';
import type { ArtifactBody, ArtifactDownload, FileInfo, PutArtifactOptions } from '@logbook/core';
import type { ArtifactStore } from '@logbook/core/spi';
import { prepareBody } from './body.js';
import { createS3Client } from './client.js';
import { toLogbookError } from './errors.js';
import { formatS3Uri, joinKey, objectKey, parseS3Uri } from './keys.js';
import { deleteUnder, listChildren } from './listing.js';
import { readMetadata } from './metadata.js';
import { DigestCheck } from './streams.js';
import type { S3ArtifactStoreOptions } from './types.js';
import { uploadArtifact } from './upload.js';
import { resolveOptions } from './validate-options.js';
import type { ResolvedOptions } from './validate-options.js';

/** Longest presigned URL lifetime SigV4 allows: 7 days. */
const MAX_PRESIGN_SECONDS = 7 * 24 * 3600;

/**
 * Artifacts on S3-compatible object storage (Cloudflare R2 first, AWS S3, MinIO, moto). Keys follow
 * the artifact URI the tracking store assigned, `s3://<bucket>/<prefix>/<experimentId>/<runId>/artifacts/<path>`,
 * so a bucket listing reads like the experiment tree. Uploads and downloads are streamed (memory is
 * about `partSize × (queueSize + 1)` per upload, one chunk per download), optionally gzip-compressed,
 * and checked end to end with a SHA-256 of the original bytes.
 *
 * @example
 * ```ts
 * const store = new S3ArtifactStore({
 *   bucket: 'ml-artifacts', prefix: 'logbook',
 *   endpoint: 'https://<account>.r2.cloudflarestorage.com', // region defaults to 'auto'
 * });
 * const root = `${store.experimentRoot('3')}/${runId}/artifacts`;
 * await store.put(root, 'model/weights.bin', { filePath: './weights.bin' });
 * const { stream } = await store.get(root, 'model/weights.bin');
 * ```
 */
export class S3ArtifactStore implements ArtifactStore {
  readonly schemes: readonly string[] = ['s3'];
  /** The SDK client in use (exposed for advanced use such as bucket policies; do not destroy it). */
  readonly client: S3Client;
  private readonly options: ResolvedOptions;
  private readonly ownsClient: boolean;
  private closed = false;

  constructor(options: S3ArtifactStoreOptions) {
    this.options = resolveOptions(options);
    this.client = options.client ?? createS3Client(options);
    this.ownsClient = options.client === undefined;
  }

  /** True with `artifactCompression`: objects are gzipped on write and decompressed on read. */
  get compresses(): boolean {
    return this.options.artifactCompression;
  }

  /** `s3://<bucket>/<prefix>`: the artifact root for new experiments (the tracking store's `artifactRoot`). */
  get rootUri(): string {
    return formatS3Uri({ bucket: this.options.bucket, key: this.options.prefix });
  }

  /** `s3://<bucket>/<prefix>/<experimentId>`: an experiment's artifact location. */
  experimentRoot(experimentId: string): string {
    return formatS3Uri({ bucket: this.options.bucket, key: joinKey(this.options.prefix, experimentId) });
  }

  async put(artifactUri: string, path: string, body: ArtifactBody, options?: PutArtifactOptions): Promise<FileInfo> {
    this.checkOpen();
    const { bucket, key, target, relative } = this.locate(artifactUri, path);
    if (relative === '') {
      throw new LogbookError('INVALID_PARAMETER_VALUE', '[s3] An artifact path is required to put a file (path).', { field: 'path' });
    }
    const o = this.options;
    const prepared = await prepareBody(body, options, o.maxArtifactSize, target);
    const result = await uploadArtifact({
      client: this.client,
      bucket,
      key,
      target,
      body: prepared,
      maxArtifactSize: o.maxArtifactSize,
      ...(o.artifactCompression ? { gzipLevel: o.compressionLevel } : {}),
      partSize: o.partSize,
      queueSize: o.queueSize,
      ...(options?.contentType === undefined ? {} : { contentType: options.contentType }),
      sse: o.sse,
    });
    return { path: relative, isDir: false, fileSize: result.size };
  }

  async get(artifactUri: string, path: string): Promise<ArtifactDownload> {
    this.checkOpen();
    const { bucket, key, target } = this.locate(artifactUri, path);
    let response;
    try {
      response = await this.client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    } catch (error) {
      throw toLogbookError(error, 'download', target);
    }
    const meta = readMetadata(response.Metadata);
    const stages: Transform[] = meta.gzip ? [createGunzip()] : [];
    const check = new DigestCheck(meta, target);
    const source = response.Body as Readable;
    pipeline([source, ...stages, check], () => undefined);
    const size = meta.size ?? (meta.gzip ? undefined : response.ContentLength);
    return {
      stream: check,
      ...(size === undefined ? {} : { size }),
      ...(response.ContentType === undefined ? {} : { contentType: response.ContentType }),
    };
  }

  async list(artifactUri: string, path?: string): Promise<readonly FileInfo[]> {
    this.checkOpen();
    const root = parseS3Uri(artifactUri);
    const { key, target } = this.locate(artifactUri, path ?? '');
    return listChildren(
      this.client,
      { bucket: root.bucket, rootKey: root.key, key, target },
      {
        pageSize: this.options.listPageSize,
        originalSizes: this.options.artifactCompression,
      },
    );
  }

  async delete(artifactUri: string, path?: string): Promise<void> {
    this.checkOpen();
    const { bucket, key, target } = this.locate(artifactUri, path ?? '');
    await deleteUnder(this.client, { bucket, key, target }, this.options.listPageSize);
  }

  /**
   * A short-lived URL that downloads one artifact with a plain HTTP GET, no credentials needed.
   * For a gzip-stored artifact the URL asks S3 to answer `Content-Encoding: gzip`, so browsers
   * and `fetch` decompress it. Checks that the object exists first (RESOURCE_DOES_NOT_EXIST).
   *
   * @param expiresInSeconds lifetime, 1 s to 7 days.
   */
  async presignDownload(artifactUri: string, path: string, expiresInSeconds: number): Promise<string> {
    this.checkOpen();
    if (!Number.isInteger(expiresInSeconds) || expiresInSeconds < 1 || expiresInSeconds > MAX_PRESIGN_SECONDS) {
      throw new LogbookError('INVALID_PARAMETER_VALUE', `[s3] expiresInSeconds must be an integer from 1 to ${MAX_PRESIGN_SECONDS}, got ${expiresInSeconds}.`, { field: 'expiresInSeconds' });
    }
    const { bucket, key, target } = this.locate(artifactUri, path);
    try {
      const head = await this.client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
      const gzip = readMetadata(head.Metadata).gzip;
      const command = new GetObjectCommand({ Bucket: bucket, Key: key, ...(gzip ? { ResponseContentEncoding: 'gzip' } : {}) });
      return await getSignedUrl(this.client, command, { expiresIn: expiresInSeconds });
    } catch (error) {
      throw toLogbookError(error, 'presign', target);
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.ownsClient) this.client.destroy();
  }

  /** Same as `close()`: tsyringe's `Disposable`, for containers that dispose what they hold. */
  dispose(): Promise<void> {
    return this.close();
  }

  private locate(artifactUri: string, path: string): { bucket: string; key: string; target: string; relative: string } {
    const root = parseS3Uri(artifactUri);
    const key = objectKey(root, path);
    const relative = key.slice(root.key === '' ? 0 : root.key.length + 1);
    return { bucket: root.bucket, key, target: formatS3Uri({ bucket: root.bucket, key }), relative };
  }

  private checkOpen(): void {
    if (this.closed) throw new LogbookError('INVALID_STATE', '[s3] S3ArtifactStore is closed.');
  }
}
