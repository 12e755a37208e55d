import { LogbookError } from '@logbook/core';
import { validateArtifactPath } from '@logbook/core/spi';
import type { ErrorCode } from '@logbook/core';

/** A bucket and a key prefix inside it, parsed from an `s3://` URI. */
export interface S3Location {
  readonly bucket: string;
  /** Key prefix without leading or trailing `/`; `''` for the bucket root. */
  readonly key: string;
}

const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/** Trims slashes at both ends and collapses repeated ones, so keys never hold empty segments. */
export function normalizePrefix(prefix: string | undefined): string {
  return (prefix ?? '')
    .split('/')
    .filter((segment) => segment !== '')
    .join('/');
}

/** Joins key segments with `/`, skipping empty ones. */
export function joinKey(...parts: readonly string[]): string {
  return parts.filter((part) => part !== '').join('/');
}

/** Throws `code` unless `name` is a valid S3 bucket name. */
export function checkBucketName(name: string, field: string, code: ErrorCode = 'INVALID_PARAMETER_VALUE'): string {
  if (!BUCKET.test(name)) {
    throw new LogbookError(code, `[s3] Invalid bucket name ${JSON.stringify(name)} (${field}): 3-63 lowercase letters, digits, '.' or '-'.`, { field });
  }
  return name;
}

/**
 * Parses an artifact root such as `s3://bucket/prefix/3/5f1c…/artifacts`. The key part is
 * validated like an artifact path, so a tampered run row cannot point outside its prefix.
 */
export function parseS3Uri(uri: string, field = 'artifactUri'): S3Location {
  const match = /^s3:\/\/([^/]+)(?:\/(.*))?$/.exec(uri);
  if (match === null) {
    throw new LogbookError('INVALID_PARAMETER_VALUE', `[s3] ${field} must be an s3://bucket/prefix URI, got ${JSON.stringify(uri)}.`, { field });
  }
  const bucket = checkBucketName(match[1] as string, field);
  const key = validateArtifactPath(normalizePrefix(match[2]), field);
  return { bucket, key };
}

/** Formats a location back into `s3://bucket/key`. */
export function formatS3Uri(location: S3Location): string {
  return location.key === '' ? `s3://${location.bucket}` : `s3://${location.bucket}/${location.key}`;
}

/** The key of `path` (validated, relative) under an artifact root. */
export function objectKey(root: S3Location, path: string, field = 'path'): string {
  return joinKey(root.key, validateArtifactPath(path, field));
}

/** `CopySource` header value: bucket and key, each key segment URL-encoded. */
export function copySource(bucket: string, key: string): string {
  return `${bucket}/${key.split('/').map(encodeURIComponent).join('/')}`;
}
