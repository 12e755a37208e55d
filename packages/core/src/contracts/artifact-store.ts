import type { InjectionToken } from 'tsyringe';
import type { ArtifactBody, ArtifactDownload, FileInfo, PutArtifactOptions } from '../model/artifact.js';

/**
 * Files attached to runs. Every method takes the run's `artifactUri` (the root, as the tracking
 * store assigned it: `file:///…`, `s3://bucket/prefix/…`, `mlflow-artifacts:/…`) and a path
 * relative to it. Paths are validated with `validateArtifactPath`: `..`, absolute and encoded
 * traversal are INVALID_PARAMETER_VALUE. Bodies are streamed, never buffered whole.
 */
export interface ArtifactStore {
  /** URI schemes this store serves, e.g. `['file']`, `['s3']`, `['mlflow-artifacts']`. */
  readonly schemes: readonly string[];
  /**
   * True when the store gzips what it writes and decompresses it on read (S3 with
   * `artifactCompression`). `createLogbook` refuses `artifactCompression: true` when the store new
   * experiments write to does not. @default false
   */
  readonly compresses?: boolean;
  /** Writes one file; replaces an existing one at the same path. */
  put(artifactUri: string, path: string, body: ArtifactBody, options?: PutArtifactOptions): Promise<FileInfo>;
  /** Opens one file; RESOURCE_DOES_NOT_EXIST when absent. */
  get(artifactUri: string, path: string): Promise<ArtifactDownload>;
  /** Direct children of `path` (the root when absent), directories first, then by name. */
  list(artifactUri: string, path?: string): Promise<readonly FileInfo[]>;
  /** Deletes a file or everything under a directory; absent paths are not an error. */
  delete(artifactUri: string, path?: string): Promise<void>;
  /** Releases clients and handles; idempotent. */
  close(): Promise<void>;
}

/** DI token of the {@link ArtifactStore}. */
export const ARTIFACT_STORE: InjectionToken<ArtifactStore> = Symbol.for('logbook.ArtifactStore');
