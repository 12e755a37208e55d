import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Readable, Transform } from 'node:stream';
import { LogbookError } from '@logbook/core';
import type { ArtifactBody } from '@logbook/core';

/** An upload body, ready to send once or (when replayable) again on retry. */
export interface PreparedBody {
  /** Bytes, when known before sending. */
  readonly size?: number;
  /** False for a caller's stream, which can be read once only. */
  readonly replayable: boolean;
  /** A fresh body for one attempt. */
  open(): Buffer | Uint8Array | Readable;
  /** Bytes `start` (inclusive) to `end` (exclusive), for multipart; only for buffers and files. */
  slice?(start: number, end: number): Buffer | Uint8Array | Readable;
  /** Bytes actually sent by the last attempt (for streams of unknown size). */
  sent(): number;
}

const tooLarge = (size: number, max: number, path: string): never => {
  throw new LogbookError('PAYLOAD_TOO_LARGE', `[mlflow] Artifact '${path}' is ${size} bytes; the limit (maxArtifactSize) is ${max} bytes.`, { field: 'maxArtifactSize' });
};

/** Prepares a body; refuses one whose known size is over `maxSize` before a byte is sent. */
export async function prepareBody(body: ArtifactBody, declaredSize: number | undefined, maxSize: number, path: string): Promise<PreparedBody> {
  if (body instanceof Uint8Array) {
    if (body.byteLength > maxSize) tooLarge(body.byteLength, maxSize, path);
    return { size: body.byteLength, replayable: true, open: () => body, slice: (s, e) => body.subarray(s, e), sent: () => body.byteLength };
  }
  if (body instanceof Readable) {
    if (declaredSize !== undefined && declaredSize > maxSize) tooLarge(declaredSize, maxSize, path);
    let count = 0;
    return {
      ...(declaredSize === undefined ? {} : { size: declaredSize }),
      replayable: false,
      open: () => {
        const counter = new Transform({
          transform(chunk: Buffer, _enc, done) {
            count += chunk.length;
            if (count > maxSize) done(new LogbookError('PAYLOAD_TOO_LARGE', `[mlflow] Artifact '${path}' exceeds maxArtifactSize (${maxSize} bytes).`));
            else done(null, chunk);
          },
        });
        body.on('error', (e) => counter.destroy(e));
        return body.pipe(counter);
      },
      sent: () => count,
    };
  }
  const filePath = body.filePath;
  let size: number;
  try {
    size = (await stat(filePath)).size;
  } catch (error) {
    throw new LogbookError('INVALID_PARAMETER_VALUE', `[mlflow] Cannot read artifact file '${filePath}': ${(error as Error).message}`, { field: 'filePath', cause: error });
  }
  if (size > maxSize) tooLarge(size, maxSize, path);
  return {
    size,
    replayable: true,
    open: () => createReadStream(filePath),
    slice: (start, end) => createReadStream(filePath, { start, end: end - 1 }),
    sent: () => size,
  };
}
