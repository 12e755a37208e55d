import type { S3Client } from '@aws-sdk/client-s3';
import { DEFAULT_MAX_ARTIFACT_SIZE } from '@logbook/core';
import { DEFAULT_S3_REGION } from './s3-config.js';
import type { S3Config } from './s3-config.js';

/** Server-side encryption applied to every object the store writes. */
export interface ServerSideEncryptionOptions {
  /** `AES256`, `aws:kms` or `aws:kms:dsse` (R2 encrypts at rest and ignores it). */
  readonly serverSideEncryption?: string;
  /** KMS key id or ARN, with `aws:kms`. */
  readonly sseKmsKeyId?: string;
}

/**
 * Options of {@link S3ArtifactStore}. Connection fields are the `s3` config section's ({@link S3Config}); when the
 * access key fields are absent the SDK's standard chain is used (`AWS_ACCESS_KEY_ID`,
 * `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`, profiles, instance roles).
 */
export interface S3ArtifactStoreOptions extends S3Config, ServerSideEncryptionOptions {
  /** gzip objects on upload; recorded in object metadata and undone on download. @default false */
  readonly artifactCompression?: boolean;
  /** zlib level 1-9 when compressing. @default 6 */
  readonly compressionLevel?: number;
  /** Largest artifact in bytes (original size). @default 5 GiB */
  readonly maxArtifactSize?: number;
  /** Multipart part size in bytes, at least 5 MiB. Memory per upload is about `partSize × (queueSize + 1)`. @default 8 MiB */
  readonly partSize?: number;
  /** Parts uploaded in parallel. @default 4 */
  readonly queueSize?: number;
  /** Attempts per request, so per multipart part (the SDK's retry strategy with backoff). @default 3 */
  readonly maxAttempts?: number;
  /** Socket connection timeout, milliseconds. @default 10000 */
  readonly connectionTimeoutMs?: number;
  /** Idle time allowed on an open request socket, milliseconds. @default 120000 */
  readonly requestTimeoutMs?: number;
  /** Objects listed per `ListObjectsV2` page. @default 1000 */
  readonly listPageSize?: number;
  /**
   * An existing client to use instead of building one from the fields above (its checksum and
   * retry settings are then the caller's). The store does not destroy a client it did not create.
   */
  readonly client?: S3Client;
}

/** Resolved defaults, one place. */
export const DEFAULTS = {
  region: DEFAULT_S3_REGION,
  compressionLevel: 6,
  maxArtifactSize: DEFAULT_MAX_ARTIFACT_SIZE,
  partSize: 8 * 1024 ** 2,
  queueSize: 4,
  maxAttempts: 3,
  connectionTimeoutMs: 10_000,
  requestTimeoutMs: 120_000,
  listPageSize: 1000,
} as const;

/** S3's single-request CopyObject limit, which bounds the post-upload metadata update. */
export const COPY_OBJECT_LIMIT = 5 * 1024 ** 3;
/** S3's smallest multipart part (except the last). */
export const MIN_PART_SIZE = 5 * 1024 ** 2;
