import { PassThrough } from 'node:stream';
import type { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { CopyObjectCommand, DeleteObjectCommand } from '@aws-sdk/client-s3';
import type { S3Client } from '@aws-sdk/client-s3';
import { LogbookError } from '@logbook/core';
import type { PreparedBody } from './body.js';
import { toLogbookError } from './errors.js';
import { copySource } from './keys.js';
import { SourceFailure, sendStream } from './multipart.js';
import { writeMetadata } from './metadata.js';
import { ByteMeter } from './streams.js';
import { COPY_OBJECT_LIMIT } from './types.js';
import type { ServerSideEncryptionOptions } from './types.js';

/** One upload, fully resolved by the store. */
export interface UploadRequest {
  readonly client: S3Client;
  readonly bucket: string;
  readonly key: string;
  /** `s3://bucket/key`, for messages. */
  readonly target: string;
  readonly body: PreparedBody;
  readonly maxArtifactSize: number;
  /** zlib level when compressing; undefined to store the bytes as they are. */
  readonly gzipLevel?: number;
  readonly partSize: number;
  readonly queueSize: number;
  readonly contentType?: string;
  readonly sse: ServerSideEncryptionOptions;
}

/** What was stored: original byte count and SHA-256. */
export interface UploadResult {
  readonly size: number;
  readonly sha256: string;
}

function sseParams(sse: ServerSideEncryptionOptions): Record<string, string> {
  return {
    ...(sse.serverSideEncryption === undefined ? {} : { ServerSideEncryption: sse.serverSideEncryption }),
    ...(sse.sseKmsKeyId === undefined ? {} : { SSEKMSKeyId: sse.sseKmsKeyId }),
  };
}

/**
 * Streams one artifact to S3 (see `sendStream`: parts of `partSize`, `queueSize` in parallel, each
 * retried by the client, the multipart upload aborted on any failure so no orphan parts are billed).
 *
 * The SHA-256 of the original bytes is recorded in object metadata. Metadata can only be set when
 * an object is created, and a stream's hash is known only after its last byte, so:
 * - Buffers and files are hashed before the upload (a file is read twice: a local read is far
 *   cheaper than a second trip through the network) and the metadata goes out with the create;
 * - streams are hashed while they flow, then the object is copied onto itself with
 *   `MetadataDirective: REPLACE` (a server-side copy; no bytes travel through this process).
 * The streamed hash is always computed; if it differs from the one sent at create (a file changed
 * during the upload, or a wrong `options.size`), the copy corrects the metadata. We chose this over
 * a sidecar object (two objects to keep consistent, clutter in listings) and over trailing
 * checksums (multipart checksums are per-part composites, and R2 support is partial). Objects over
 * 5 GiB cannot be copied in one request: such a stream is stored without a hash (and download
 * checks nothing), and such a file whose bytes changed during upload is deleted and refused.
 */
export async function uploadArtifact(request: UploadRequest): Promise<UploadResult> {
  const { client, bucket, key, target, body } = request;
  const gzip = request.gzipLevel !== undefined;
  const source: Readable = body.open();
  const meter = new ByteMeter(request.maxArtifactSize, target);
  const stages: Transform[] = [meter];
  if (gzip) stages.push(createGzip({ level: request.gzipLevel }));
  const out = new PassThrough();
  const piped = pipeline([source, ...stages, out]).catch(() => undefined);
  const common = {
    Bucket: bucket,
    Key: key,
    ...(request.contentType === undefined ? {} : { ContentType: request.contentType }),
    ...sseParams(request.sse),
  };
  try {
    await sendStream(out, {
      client,
      object: { ...common, Metadata: writeMetadata({ sha256: body.sha256, size: body.size, gzip }) },
      partSize: request.partSize,
      queueSize: request.queueSize,
    });
  } catch (error) {
    out.destroy();
    source.destroy();
    await piped;
    if (!(error instanceof SourceFailure)) throw toLogbookError(error, 'upload', target);
    // The size limit fails the stream from inside (ByteMeter): that is the error to report.
    if (error.error instanceof LogbookError) throw error.error;
    const cause = error.error as Error;
    throw new LogbookError('CANCELLED', `[s3] Upload of ${target} aborted: the source stream failed: ${cause?.message ?? String(cause)}`, { cause });
  }
  const result = { size: meter.bytes, sha256: meter.sha256 as string };
  if (result.sha256 === body.sha256 && result.size === body.size) return result;
  if (result.size > COPY_OBJECT_LIMIT) {
    if (body.sha256 === undefined && body.size === undefined) return result;
    await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key })).catch(() => undefined);
    throw new LogbookError('DATA_LOSS', `[s3] ${target}: the source changed during upload (or options.size was wrong); the object was deleted.`);
  }
  try {
    await client.send(
      new CopyObjectCommand({
        ...common,
        CopySource: copySource(bucket, key),
        MetadataDirective: 'REPLACE',
        Metadata: writeMetadata({ ...result, gzip }),
      }),
    );
  } catch (error) {
    throw toLogbookError(error, 'record the checksum of', target);
  }
  return result;
}
