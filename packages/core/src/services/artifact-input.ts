import { stat } from 'node:fs/promises';
import { Readable, Transform, pipeline } from 'node:stream';
import { LogbookError } from '../errors.js';
import type { ArtifactBody } from '../model/artifact.js';
import { validateArtifactPath } from '../validation/artifact-path.js';

/** What `logArtifacts` accepts per path: bytes, a stream, or the path of a file on disk. */
export type ArtifactInput = Buffer | Uint8Array | Readable | string;

/** An artifact ready for `ArtifactStore.put`: validated path, body, and size when known. */
export interface PreparedArtifact {
  readonly path: string;
  readonly body: ArtifactBody;
  readonly size?: number;
}

function tooLarge(path: string, size: number | string, limit: number): LogbookError {
  return new LogbookError('PAYLOAD_TOO_LARGE', `[core] Artifact '${path}' is ${size} bytes; the limit is maxArtifactSize=${limit} bytes.`, { field: 'maxArtifactSize' });
}

/**
 * Validates the path and checks the size against `maxSize` before a byte is sent: exactly for
 * bytes and files (via stat), while streaming for streams (the upload fails as soon as the limit
 * is passed).
 * @throws LogbookError PAYLOAD_TOO_LARGE naming the limit; INVALID_PARAMETER_VALUE for a bad
 *   path; RESOURCE_DOES_NOT_EXIST for a missing file.
 */
export async function prepareArtifact(rawPath: string, input: ArtifactInput, maxSize: number): Promise<PreparedArtifact> {
  const path = validateArtifactPath(rawPath, `artifacts['${rawPath}']`);
  if (path === '') throw new LogbookError('INVALID_PARAMETER_VALUE', `[core] Artifact path must name a file, got '${rawPath}'.`, { field: 'path' });
  if (typeof input === 'string') {
    const info = await stat(input).catch((cause: unknown) => {
      throw new LogbookError('RESOURCE_DOES_NOT_EXIST', `[core] Artifact file for '${path}' not found: ${input}`, { cause, field: `artifacts['${rawPath}']` });
    });
    if (!info.isFile()) throw new LogbookError('INVALID_PARAMETER_VALUE', `[core] Artifact source for '${path}' is not a file: ${input}`, { field: `artifacts['${rawPath}']` });
    if (info.size > maxSize) throw tooLarge(path, info.size, maxSize);
    return { path, body: { filePath: input }, size: info.size };
  }
  if (input instanceof Readable) return { path, body: limitStream(input, path, maxSize) };
  if (input.byteLength > maxSize) throw tooLarge(path, input.byteLength, maxSize);
  return { path, body: input, size: input.byteLength };
}

/** Passes `source` through, failing with PAYLOAD_TOO_LARGE once more than `limit` bytes went by. */
export function limitStream(source: Readable, path: string, limit: number): Readable {
  let seen = 0;
  const guard = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      seen += chunk.length;
      if (seen > limit) callback(tooLarge(path, `more than ${limit}`, limit));
      else callback(null, chunk);
    },
  });
  pipeline(source, guard, () => {});
  return guard;
}
