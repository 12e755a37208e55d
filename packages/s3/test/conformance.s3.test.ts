import { randomUUID } from 'node:crypto';
import { runArtifactConformance } from '@logbook/testkit';
import { S3ArtifactStore } from '../src/index.js';
import { describeS3, newBucket, storeOptions } from './support/moto.js';

describeS3('S3ArtifactStore', () => {
  const fixture = (options: { artifactCompression: boolean }) => async () => {
    const store = new S3ArtifactStore(storeOptions(await newBucket('conformance'), { ...options, partSize: 5 * 1024 * 1024 }));
    return { store, newRoot: () => `${store.experimentRoot('1')}/${randomUUID().replace(/-/g, '')}/artifacts`, cleanup: () => store.close() };
  };
  runArtifactConformance(fixture({ artifactCompression: false }), { name: 'ArtifactStore conformance' });
  runArtifactConformance(fixture({ artifactCompression: true }), { name: 'ArtifactStore conformance (gzip, 5 MiB parts)' });
});
