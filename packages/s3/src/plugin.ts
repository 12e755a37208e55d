import { registerArtifactStore } from '@logbook/core/spi';
import type { ArtifactStoreProvider } from '@logbook/core/spi';
import { createS3ArtifactStore } from './factory.js';
import './s3-config.js';

/**
 * The `s3` artifact-store plug-in: when the config has an `s3` section, `createLogbook` routes
 * `s3://` artifact URIs to an {@link S3ArtifactStore} and, unless `artifactRoot` is set, gives new
 * experiments `s3://<bucket>/<prefix>/<experimentId>` — whichever tracking backend is in use (the
 * offline SQLite store with a local S3-compatible box, for instance). Registered on import.
 */
export const s3ArtifactStorePlugin: ArtifactStoreProvider = {
  name: 's3',
  wanted: (config) => config.s3 !== undefined,
  create: (config) => {
    const store = createS3ArtifactStore(config);
    return { store, rootUri: store.rootUri };
  },
};

registerArtifactStore(s3ArtifactStorePlugin);
