import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { LogbookError } from '@logbook/core';
import type { ArtifactBody, PutArtifactOptions } from '@logbook/core';
import { tooLarge } from './streams.js';

/** An artifact body made ready for upload: how to read it, and what is known before reading. */
export interface PreparedBody {
  /** Opens the bytes as a stream (called once). */
  open(): Readable;
  /** Byte count when known in advance (Buffer, file, or `options.size`). */
  readonly size?: number;
  /** Hex SHA-256 when it could be computed before upload (Buffer, file). */
  readonly sha256?: string;
}

/** Hashes a file in a streaming pass (one chunk in memory at a time). */
async function hashFile(filePath: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(filePath), hash);
  return hash.digest('hex');
}

/**
 * Normalizes an {@link ArtifactBody} and enforces `limit` on every size known before upload,
 * so an oversized artifact is refused before a request is made. Streams of unknown size are
 * checked while they flow (see `ByteMeter`).
 */
export async function prepareBody(body: ArtifactBody, options: PutArtifactOptions | undefined, limit: number, target: string): Promise<PreparedBody> {
  const declared = options?.size;
  if (declared !== undefined && (!Number.isSafeInteger(declared) || declared < 0)) {
    throw new LogbookError('INVALID_PARAMETER_VALUE', `[s3] options.size must be a non-negative integer, got ${declared}.`, { field: 'size' });
  }
  if (declared !== undefined && declared > limit) throw tooLarge(target, limit, declared);
  if (body instanceof Uint8Array) {
    const bytes = Buffer.isBuffer(body) ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength);
    if (bytes.length > limit) throw tooLarge(target, limit, bytes.length);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    return { open: () => Readable.from([bytes]), size: bytes.length, sha256 };
  }
  if (body instanceof Readable) return { open: () => body, ...(declared === undefined ? {} : { size: declared }) };
  if (typeof body === 'object' && body !== null && typeof body.filePath === 'string') {
    const { filePath } = body;
    const info = await stat(filePath).catch((cause: unknown) => {
      throw new LogbookError('INVALID_PARAMETER_VALUE', `[s3] Cannot read artifact file ${JSON.stringify(filePath)}: ${(cause as Error).message}`, { field: 'filePath', cause });
    });
    if (!info.isFile()) {
      throw new LogbookError('INVALID_PARAMETER_VALUE', `[s3] Artifact file ${JSON.stringify(filePath)} is not a regular file.`, { field: 'filePath' });
    }
    if (info.size > limit) throw tooLarge(target, limit, info.size);
    return { open: () => createReadStream(filePath), size: info.size, sha256: await hashFile(filePath) };
  }
  throw new LogbookError('INVALID_PARAMETER_VALUE', '[s3] Artifact body must be a Buffer, Uint8Array, Readable or { filePath }.', { field: 'body' });
}
