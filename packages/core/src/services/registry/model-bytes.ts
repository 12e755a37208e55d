import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { Readable, Transform } from 'node:stream';
import type { TransformCallback } from 'node:stream';
import { LogbookError } from '../../errors.js';

/** Model bytes as {@link ModelVersioning.createModelVersion} takes them: bytes, a stream or a file. */
export type ModelData = Buffer | Uint8Array | Readable | { readonly filePath: string };

/** SHA-256 (hex) and size of model bytes. */
export interface ModelDigest {
  readonly sha256: string;
  readonly size: number;
}

/** The digest of bytes or of a file (read as a stream); undefined for a stream, which can be read once only. */
export async function digestUpFront(data: ModelData): Promise<ModelDigest | undefined> {
  if (data instanceof Uint8Array) return { sha256: createHash('sha256').update(data).digest('hex'), size: data.byteLength };
  if (data instanceof Readable) return undefined;
  const hash = createHash('sha256');
  let size = 0;
  try {
    for await (const chunk of createReadStream(data.filePath)) {
      hash.update(chunk as Buffer);
      size += (chunk as Buffer).length;
    }
  } catch (cause) {
    throw new LogbookError('INVALID_PARAMETER_VALUE', `[core] Model file '${data.filePath}' cannot be read: ${(cause as Error).message}.`, { cause, field: 'modelData' });
  }
  return { sha256: hash.digest('hex'), size };
}

/** A pass-through that hashes and counts what flows through it. */
export class HashingStream extends Transform {
  private readonly hash = createHash('sha256');
  private size = 0;
  private finish!: (digest: ModelDigest) => void;
  private fail!: (error: Error) => void;
  /** Settles when every byte was hashed, or fails when the stream is destroyed first. */
  private readonly flushed = new Promise<ModelDigest>((resolve, reject) => {
    this.finish = resolve;
    this.fail = reject;
  });

  constructor() {
    super();
    // Nobody may be waiting (a store that failed first): that is not an unhandled rejection.
    this.flushed.catch(() => undefined);
    this.once('close', () => this.fail(new LogbookError('DATA_LOSS', '[core] Model bytes stream closed before its end: the bytes were not all stored.', { field: 'modelData' })));
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.hash.update(chunk);
    this.size += chunk.length;
    callback(null, chunk);
  }

  override _flush(callback: TransformCallback): void {
    this.finish({ sha256: this.hash.digest('hex'), size: this.size });
    callback();
  }

  /**
   * The digest of every byte of the source. A store may return as soon as it has read the size it
   * was told, before the source's end reached this stream: what is left is drained and hashed too
   * (so extra bytes show as another size), and the digest is awaited, never read early.
   */
  settled(): Promise<ModelDigest> {
    this.resume();
    return this.flushed;
  }
}

/**
 * A stream of `data` (bytes, a stream or a file) piped through `hash`. A source that fails before
 * the artifact store starts reading (a client gone, a body over a limit; stores await their folder
 * or connection first) destroys `hash` at once: the store finds it errored when it reads, and the
 * 'error' event, emitted before the store listens, must not go unhandled (that ends the process).
 */
export function hashedStream(data: ModelData, hash: HashingStream): Readable {
  const source = data instanceof Uint8Array ? Readable.from([Buffer.from(data.buffer, data.byteOffset, data.byteLength)]) : data instanceof Readable ? data : createReadStream(data.filePath);
  source.on('error', (error: Error) => hash.destroy(error));
  hash.on('error', () => {
    /* seen by the store through the destroyed stream; see above */
  });
  return source.pipe(hash);
}

/**
 * Passes `source` through, and fails it with DATA_LOSS at its end when the bytes do not hash to
 * `expected` (or have another size): a reader sees every byte but cannot finish on damaged ones.
 */
export function verifyingStream(source: Readable, expected: ModelDigest, what: string): Readable {
  const hash = createHash('sha256');
  let size = 0;
  const check = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      hash.update(chunk);
      size += chunk.length;
      callback(null, chunk);
    },
    flush(callback) {
      const sha256 = hash.digest('hex');
      if (sha256 !== expected.sha256 || size !== expected.size) {
        callback(
          new LogbookError(
            'DATA_LOSS',
            `[core] Checksum mismatch reading ${what}: stored bytes are ${size} B with SHA-256 ${sha256}, registered as ${expected.size} B with SHA-256 ${expected.sha256}.`,
            { field: 'version' },
          ),
        );
        return;
      }
      callback();
    },
  });
  source.on('error', (error) => check.destroy(error));
  return source.pipe(check);
}
