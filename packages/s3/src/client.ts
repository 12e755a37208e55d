import { S3Client } from '@aws-sdk/client-s3';
import { DEFAULTS } from './types.js';
import type { S3ArtifactStoreOptions } from './types.js';

/**
 * Builds the SDK client. Checksums are computed and validated only where the S3 API requires them
 * (`WHEN_REQUIRED`): the SDK's default since early 2025 adds CRC32 trailers that R2 and several
 * S3-compatible stores reject. Integrity is ensured by Logbook's own SHA-256 instead.
 */
export function createS3Client(options: S3ArtifactStoreOptions): S3Client {
  const { accessKeyId, secretAccessKey, sessionToken } = options;
  const credentials = accessKeyId !== undefined && secretAccessKey !== undefined ? { accessKeyId, secretAccessKey, ...(sessionToken === undefined ? {} : { sessionToken }) } : undefined;
  return new S3Client({
    region: options.region ?? DEFAULTS.region,
    ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint }),
    ...(options.forcePathStyle === undefined ? {} : { forcePathStyle: options.forcePathStyle }),
    ...(credentials === undefined ? {} : { credentials }),
    maxAttempts: options.maxAttempts ?? DEFAULTS.maxAttempts,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    // A plain object is turned into the SDK's own NodeHttpHandler with these settings.
    requestHandler: {
      connectionTimeout: options.connectionTimeoutMs ?? DEFAULTS.connectionTimeoutMs,
      requestTimeout: options.requestTimeoutMs ?? DEFAULTS.requestTimeoutMs,
    },
  });
}
