import { resolve } from 'node:path';
import { LogbookError } from '@logbook/core';
import type { ArtifactStorageConfig } from './types.js';

/** Arguments and child environment that make the server proxy artifacts to a destination. */
export interface ArtifactServing {
  readonly args: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  /** Values to redact from logs. */
  readonly secrets: readonly string[];
}

/**
 * `--serve-artifacts --artifacts-destination …`: a local folder, or an S3/R2 bucket. For S3/R2 the
 * endpoint and keys go to the child's environment (boto3's chain, `MLFLOW_S3_ENDPOINT_URL`), never
 * onto its command line, where any local user could read them.
 */
export function artifactServing(storage: ArtifactStorageConfig): ArtifactServing {
  if (storage.kind === 'local') {
    if (storage.directory === '') {
      throw new LogbookError('INVALID_CONFIGURATION', '[mlflow] artifact storage directory must not be empty.', { field: 'directory' });
    }
    return { args: ['--serve-artifacts', '--artifacts-destination', resolve(storage.directory)], env: {}, secrets: [] };
  }
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(storage.bucket)) {
    throw new LogbookError('INVALID_CONFIGURATION', `[mlflow] S3 bucket name '${storage.bucket}' is not valid (3-63 lowercase letters, digits, dots, hyphens).`, { field: 'bucket' });
  }
  const prefix = (storage.prefix ?? '').replace(/^\/+|\/+$/g, '');
  const env: Record<string, string> = { AWS_DEFAULT_REGION: storage.region ?? 'auto' };
  if (storage.endpoint !== undefined) env.MLFLOW_S3_ENDPOINT_URL = storage.endpoint;
  if (storage.forcePathStyle === true) env.MLFLOW_BOTO_CLIENT_ADDRESSING_STYLE = 'path';
  if (storage.accessKeyId !== undefined) env.AWS_ACCESS_KEY_ID = storage.accessKeyId;
  if (storage.secretAccessKey !== undefined) env.AWS_SECRET_ACCESS_KEY = storage.secretAccessKey;
  if (storage.sessionToken !== undefined) env.AWS_SESSION_TOKEN = storage.sessionToken;
  const destination = `s3://${storage.bucket}${prefix === '' ? '' : `/${prefix}`}`;
  const secrets = [storage.secretAccessKey, storage.sessionToken].filter((s): s is string => s !== undefined);
  return { args: ['--serve-artifacts', '--artifacts-destination', destination], env, secrets };
}
