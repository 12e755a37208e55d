import { LogbookError } from '@logbook/core';
import { checkBucketName, normalizePrefix } from './keys.js';
import { MAX_PARTS } from './multipart.js';
import { DEFAULTS, MIN_PART_SIZE } from './types.js';
import type { S3ArtifactStoreOptions, ServerSideEncryptionOptions } from './types.js';

/** Options with every default applied. */
export interface ResolvedOptions {
  readonly bucket: string;
  readonly prefix: string;
  readonly artifactCompression: boolean;
  readonly compressionLevel: number;
  readonly maxArtifactSize: number;
  readonly partSize: number;
  readonly queueSize: number;
  readonly listPageSize: number;
  readonly sse: ServerSideEncryptionOptions;
}

function integer(options: S3ArtifactStoreOptions, field: keyof S3ArtifactStoreOptions, fallback: number, min: number, max: number): number {
  const value = options[field] ?? fallback;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max) {
    throw new LogbookError('INVALID_CONFIGURATION', `[s3] Option ${field} must be an integer from ${min} to ${max}, got ${String(value)}.`, { field });
  }
  return value;
}

function resolveNumbers(options: S3ArtifactStoreOptions) {
  return {
    compressionLevel: integer(options, 'compressionLevel', DEFAULTS.compressionLevel, 1, 9),
    maxArtifactSize: integer(options, 'maxArtifactSize', DEFAULTS.maxArtifactSize, 0, Number.MAX_SAFE_INTEGER),
    partSize: integer(options, 'partSize', DEFAULTS.partSize, MIN_PART_SIZE, 5 * 1024 ** 3),
    queueSize: integer(options, 'queueSize', DEFAULTS.queueSize, 1, 64),
    listPageSize: integer(options, 'listPageSize', DEFAULTS.listPageSize, 1, 1000),
  };
}

/** Validates options and applies defaults; throws INVALID_CONFIGURATION naming the option. */
export function resolveOptions(options: S3ArtifactStoreOptions): ResolvedOptions {
  if (typeof options.bucket !== 'string' || options.bucket === '') {
    throw new LogbookError('INVALID_CONFIGURATION', '[s3] Option bucket is required.', { field: 'bucket' });
  }
  if ((options.accessKeyId === undefined) !== (options.secretAccessKey === undefined)) {
    throw new LogbookError('INVALID_CONFIGURATION', '[s3] Options accessKeyId and secretAccessKey go together: set both or neither.', { field: 'secretAccessKey' });
  }
  if (options.sseKmsKeyId !== undefined && !String(options.serverSideEncryption ?? '').startsWith('aws:kms')) {
    throw new LogbookError('INVALID_CONFIGURATION', "[s3] Option sseKmsKeyId needs serverSideEncryption 'aws:kms' or 'aws:kms:dsse'.", { field: 'sseKmsKeyId' });
  }
  const resolved = resolveNumbers(options);
  if (Math.ceil(resolved.maxArtifactSize / resolved.partSize) > MAX_PARTS) {
    throw new LogbookError(
      'INVALID_CONFIGURATION',
      `[s3] Option partSize ${resolved.partSize} is too small for maxArtifactSize ${resolved.maxArtifactSize}: S3 allows ${MAX_PARTS} parts per upload.`,
      { field: 'partSize' },
    );
  }
  return {
    ...resolved,
    bucket: checkBucketName(options.bucket, 'bucket', 'INVALID_CONFIGURATION'),
    prefix: normalizePrefix(options.prefix),
    artifactCompression: options.artifactCompression ?? false,
    sse: {
      ...(options.serverSideEncryption === undefined ? {} : { serverSideEncryption: options.serverSideEncryption }),
      ...(options.sseKmsKeyId === undefined ? {} : { sseKmsKeyId: options.sseKmsKeyId }),
    },
  };
}
