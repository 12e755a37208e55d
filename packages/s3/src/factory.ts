import { LogbookError } from '@logbook/core';
import type { LogbookConfig } from '@logbook/core';
import { S3ArtifactStore } from './s3-artifact-store.js';
import type { S3ArtifactStoreOptions } from './types.js';

/** The parts of core's config the factory reads. */
export type S3StoreConfig = Pick<LogbookConfig, 's3' | 'artifactCompression' | 'maxArtifactSize'>;

/**
 * Builds the artifact store a backend should use for `s3://` artifact URIs, from Logbook's config
 * (`config.s3`, `artifactCompression`, `maxArtifactSize`), with explicit `overrides` on top
 * (tuning such as `partSize`, SSE settings). Throws INVALID_CONFIGURATION when `config.s3` is absent.
 *
 * @example
 * ```ts
 * // In a backend provider (e.g. @logbook/sqlite), when config.s3 is set:
 * const artifacts = createS3ArtifactStore(config);
 * const artifactRoot = artifacts.rootUri;   // new experiments get `${artifactRoot}/<experimentId>`
 * ```
 */
export function createS3ArtifactStore(config: S3StoreConfig, overrides: Partial<S3ArtifactStoreOptions> = {}): S3ArtifactStore {
  if (config.s3 === undefined) {
    throw new LogbookError('INVALID_CONFIGURATION', '[s3] config.s3 is not set: give at least s3.bucket.', { field: 's3' });
  }
  return new S3ArtifactStore({
    ...config.s3,
    artifactCompression: config.artifactCompression,
    maxArtifactSize: config.maxArtifactSize,
    ...overrides,
  });
}
