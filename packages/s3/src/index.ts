export { S3ArtifactStore } from './s3-artifact-store.js';
export { createS3ArtifactStore } from './factory.js';
export type { S3StoreConfig } from './factory.js';
export { s3ArtifactStorePlugin } from './plugin.js';
export type { S3ArtifactStoreOptions, ServerSideEncryptionOptions } from './types.js';
export { parseS3Uri, formatS3Uri } from './keys.js';
export type { S3Location } from './keys.js';
export { META as ARTIFACT_METADATA_KEYS } from './metadata.js';
