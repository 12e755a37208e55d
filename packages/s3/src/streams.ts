import { createHash } from 'node:crypto';
import { Transform } from 'node:stream';
import type { TransformCallback } from 'node:stream';
import { LogbookError } from '@logbook/core';
import { toLogbookError } from './errors.js';

/** The PAYLOAD_TOO_LARGE error of an artifact over the limit. */
export function tooLarge(target: string, limit: number, size?: number): LogbookError {
  const seen = size === undefined ? `more than ${limit} bytes` : `${size} bytes`;
  return new LogbookError('PAYLOAD_TOO_LARGE', `[s3] Artifact ${target} is ${seen}; maxArtifactSize is ${limit} bytes.`, {
    field: 'maxArtifactSize',
  });
}

/**
 * Pass-through that counts bytes and hashes them with SHA-256 as they flow, and fails the stream
 * with PAYLOAD_TOO_LARGE as soon as more than `limit` bytes went through. Memory stays at one chunk.
 */
export class ByteMeter extends Transform {
  private readonly hash = createHash('sha256');
  private count = 0;
  private digest?: string;

  constructor(
    private readonly limit: number,
    private readonly target: string,
  ) {
    super();
  }

  /** Bytes seen so far. */
  get bytes(): number {
    return this.count;
  }

  /** Hex SHA-256 of all bytes; only once the stream has ended. */
  get sha256(): string | undefined {
    return this.digest;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.count += chunk.length;
    if (this.count > this.limit) {
      callback(tooLarge(this.target, this.limit));
      return;
    }
    this.hash.update(chunk);
    callback(null, chunk);
  }

  override _flush(callback: TransformCallback): void {
    this.digest = this.hash.digest('hex');
    callback();
  }
}

/** What a download is checked against. */
export interface Expected {
  readonly sha256?: string;
  readonly size?: number;
}

/** Buffer of each side of {@link DigestCheck}. */
const DOWNLOAD_BUFFER_BYTES = 1 << 20;

/**
 * Last stage of every download: hashes what the caller receives and, at the end, compares it with
 * the SHA-256 and size recorded at upload; a mismatch fails the stream with DATA_LOSS instead of
 * ending it, so a consumer never mistakes corrupt bytes for a complete file. Any other stream error
 * (a dropped connection, a gzip error) is re-raised as a LogbookError.
 */
export class DigestCheck extends Transform {
  private readonly hash = createHash('sha256');
  private count = 0;

  constructor(
    private readonly expected: Expected,
    private readonly target: string,
  ) {
    // Larger buffers than Node's 16 KiB default: fewer pauses per socket chunk on fast links, and
    // still a bounded 1 MiB each way.
    super({ highWaterMark: DOWNLOAD_BUFFER_BYTES });
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.count += chunk.length;
    if (this.expected.sha256 !== undefined) this.hash.update(chunk);
    callback(null, chunk);
  }

  override _flush(callback: TransformCallback): void {
    const { sha256, size } = this.expected;
    if (size !== undefined && size !== this.count) {
      callback(this.dataLoss(`${this.count} bytes received, ${size} recorded at upload`));
      return;
    }
    if (sha256 !== undefined) {
      const actual = this.hash.digest('hex');
      if (actual !== sha256) {
        callback(this.dataLoss(`SHA-256 ${actual} differs from ${sha256} recorded at upload`));
        return;
      }
    }
    callback();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    callback(error === null ? null : toLogbookError(error, 'download', this.target));
  }

  private dataLoss(detail: string): LogbookError {
    return new LogbookError('DATA_LOSS', `[s3] Artifact ${this.target} is corrupt: ${detail}.`);
  }
}
