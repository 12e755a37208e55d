import { posix } from 'node:path';
import { request } from 'undici';
import { LogbookError, isLogbookError } from '@logbook/core';
import { shorten } from '../http/errors.js';
import type { HttpTransport } from '../http/transport.js';
import { artifactRoute } from './artifact-uri.js';
import type { PreparedBody } from './body.js';

interface PartCredential {
  readonly url: string;
  readonly part_number: number;
  readonly headers?: Readonly<Record<string, string>>;
}

/** Result of {@link multipartUpload}: `unsupported` when the server answered 501 (use a single PUT). */
export type MultipartResult = 'uploaded' | 'unsupported';

/**
 * MLflow's proxied multipart upload: `mpu/create` returns presigned part URLs on the backing store,
 * parts are PUT there directly (never with our Authorization header), then `mpu/complete`; any
 * failure aborts the upload. A 501 NOT_IMPLEMENTED from create (local or R2 destinations) means
 * the server has no multipart for this destination.
 */
export async function multipartUpload(http: HttpTransport, fullPath: string, body: PreparedBody, partSize: number): Promise<MultipartResult> {
  const size = body.size!;
  const numParts = Math.max(1, Math.ceil(size / partSize));
  const dir = posix.dirname(fullPath) === '.' ? '' : posix.dirname(fullPath);
  const fileName = posix.basename(fullPath);
  let created: { upload_id?: string; credentials?: PartCredential[] };
  try {
    created = await http.call('POST', artifactRoute('mpu/create', dir), { json: { path: fileName, num_parts: numParts } });
  } catch (error) {
    if (isLogbookError(error, 'NOT_IMPLEMENTED')) return 'unsupported';
    throw error;
  }
  const uploadId = created.upload_id;
  try {
    const parts: { part_number: number; etag: string; url: string }[] = [];
    for (const credential of created.credentials ?? []) {
      const start = (credential.part_number - 1) * partSize;
      const response = await request(credential.url, {
        method: 'PUT',
        headers: { ...credential.headers, 'content-length': String(Math.min(partSize, size - start)) },
        body: body.slice!(start, Math.min(size, start + partSize)),
      });
      const text = await response.body.text();
      if (response.statusCode >= 300) {
        throw new LogbookError('INTERNAL_ERROR', `[mlflow] Multipart part ${credential.part_number} of '${fullPath}' failed with HTTP ${response.statusCode}: ${shorten(text, 200)}`);
      }
      const etag = response.headers.etag;
      parts.push({ part_number: credential.part_number, etag: Array.isArray(etag) ? etag[0]! : (etag ?? ''), url: credential.url });
    }
    await http.call('POST', artifactRoute('mpu/complete', dir), { json: { path: fileName, upload_id: uploadId, parts } });
    return 'uploaded';
  } catch (error) {
    await http.call('POST', artifactRoute('mpu/abort', dir), { json: { path: fileName, upload_id: uploadId } }).catch(() => undefined);
    throw error;
  }
}
