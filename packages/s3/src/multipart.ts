import type { Readable } from 'node:stream';
import { AbortMultipartUploadCommand, CompleteMultipartUploadCommand, CreateMultipartUploadCommand, PutObjectCommand, UploadPartCommand } from '@aws-sdk/client-s3';
import type { CompletedPart, CreateMultipartUploadCommandInput, S3Client } from '@aws-sdk/client-s3';

/** S3's part-count limit per multipart upload. */
export const MAX_PARTS = 10_000;

/** Wraps an error raised by the source stream (as opposed to one from S3). */
export class SourceFailure extends Error {
  constructor(readonly error: unknown) {
    super('source stream failed', { cause: error });
  }
}

/** Iterates a stream, marking its errors as {@link SourceFailure}. */
async function* chunks(source: Readable): AsyncGenerator<Buffer> {
  const iterator = (source as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
  for (;;) {
    let next: IteratorResult<Buffer>;
    try {
      next = await iterator.next();
    } catch (error) {
      throw new SourceFailure(error);
    }
    if (next.done === true) return;
    yield next.value;
  }
}

/** Where and how to send a stream. */
export interface MultipartRequest {
  readonly client: S3Client;
  /** Bucket, Key and the object's create-time fields (ContentType, Metadata, SSE). */
  readonly object: CreateMultipartUploadCommandInput & { Bucket: string; Key: string };
  readonly partSize: number;
  readonly queueSize: number;
}

/**
 * Sends a stream as one object: a single PutObject when it fits in one part, else a multipart
 * upload with up to `queueSize` parts in flight. Each part is one request that the client retries
 * on its own (its retry strategy, `maxAttempts`).
 *
 * Why not lib-storage's `Upload`: it concatenates every part into a freshly allocated buffer and,
 * after a part has failed, keeps reading and uploading the rest of the stream before it aborts.
 * Here `queueSize + 1` part buffers are allocated once and reused, so memory stays at about
 * `partSize × (queueSize + 1)` with no garbage to wait for, and the first failure (a part that
 * failed all its attempts, or an error from the source) stops reading at once, waits for the parts
 * in flight and aborts the multipart upload: no orphan parts are left to bill.
 *
 * @throws {@link SourceFailure} when the source stream failed; the S3 error otherwise.
 */
export async function sendStream(source: Readable, request: MultipartRequest): Promise<void> {
  const { client, object, partSize, queueSize } = request;
  const { Bucket, Key } = object;
  const free: Buffer[] = [];
  const inFlight = new Set<Promise<void>>();
  const parts: CompletedPart[] = [];
  let uploadId: string | undefined;
  let failure: { error: unknown } | undefined;
  let current: Buffer | undefined;
  let filled = 0;
  let partCount = 0;

  const flush = async (): Promise<void> => {
    uploadId ??= (await client.send(new CreateMultipartUploadCommand(object))).UploadId;
    const buffer = current as Buffer;
    const PartNumber = ++partCount;
    const sent: Promise<void> = client
      .send(new UploadPartCommand({ Bucket, Key, UploadId: uploadId, PartNumber, Body: buffer.subarray(0, filled), ContentLength: filled }))
      .then((result) => {
        parts.push({ PartNumber, ETag: result.ETag });
      })
      .catch((error: unknown) => {
        failure ??= { error };
      })
      .finally(() => {
        free.push(buffer);
        inFlight.delete(sent);
      });
    inFlight.add(sent);
    current = undefined;
    filled = 0;
    while (inFlight.size >= queueSize) await Promise.race(inFlight);
    if (failure !== undefined) throw failure.error;
  };

  try {
    for await (const chunk of chunks(source)) {
      for (let offset = 0; offset < chunk.length; ) {
        if (current !== undefined && filled === partSize) await flush();
        current ??= free.pop() ?? Buffer.allocUnsafe(partSize);
        const n = chunk.copy(current, filled, offset, Math.min(chunk.length, offset + partSize - filled));
        filled += n;
        offset += n;
      }
    }
    if (partCount === 0) {
      await client.send(new PutObjectCommand({ ...object, Body: (current ?? Buffer.alloc(0)).subarray(0, filled), ContentLength: filled }));
      return;
    }
    if (current !== undefined && filled > 0) await flush();
    await Promise.all(inFlight);
    if (failure !== undefined) throw failure.error;
    parts.sort((a, b) => (a.PartNumber ?? 0) - (b.PartNumber ?? 0));
    await client.send(new CompleteMultipartUploadCommand({ Bucket, Key, UploadId: uploadId, MultipartUpload: { Parts: parts } }));
  } catch (error) {
    source.destroy();
    await Promise.allSettled(inFlight);
    if (uploadId !== undefined) {
      await client.send(new AbortMultipartUploadCommand({ Bucket, Key, UploadId: uploadId })).catch(() => undefined);
    }
    throw error;
  }
}
