// Registers the `s3` setting (and types it on LogbookConfig) before the artifact-store plug-in.
export { S3_CONFIG_SECTION, DEFAULT_S3_REGION } from './s3-config.js';
export type { S3Config } from './s3-config.js';
export { S3ArtifactStore } from './s3-artifact-store.js';
export { createS3ArtifactStore } from './factory.js';
export type { S3StoreConfig } from './factory.js';
export { s3ArtifactStorePlugin } from './plugin.js';
export type { S3ArtifactStoreOptions, ServerSideEncryptionOptions } from './types.js';
export { parseS3Uri, formatS3Uri } from './keys.js';
export type { S3Location } from './keys.js';
export { META as ARTIFACT_METADATA_KEYS } from './metadata.js';
