import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { runArtifactConformance, runRegistryConformance, runTrackingConformance } from '@logbook/testkit';
import { LocalArtifactStore, SqliteStore } from '../src/index.js';
import { tempDir } from './helpers.js';

function memoryStore() {
  const store = new SqliteStore({ path: ':memory:' });
  return { store, tracking: store, cleanup: () => store.close() };
}

function fileStore() {
  const { dir, remove } = tempDir('logbook-sqlite-conf-');
  const store = new SqliteStore({ path: join(dir, 'logbook.db') });
  return {
    store,
    tracking: store,
    cleanup: async () => {
      await store.close();
      remove();
    },
  };
}

runTrackingConformance(memoryStore, { name: 'SqliteStore (:memory:) tracking conformance' });
runTrackingConformance(fileStore, { name: 'SqliteStore (file) tracking conformance' });
runRegistryConformance(memoryStore, { name: 'SqliteStore (:memory:) registry conformance' });
runRegistryConformance(
  () => {
    const fixture = fileStore();
    const artifacts = new LocalArtifactStore();
    return { ...fixture, artifacts };
  },
  { name: 'SqliteStore (file) registry conformance', versioning: true },
);

runArtifactConformance(
  () => {
    const { dir, remove } = tempDir('logbook-artifacts-conf-');
    const store = new LocalArtifactStore();
    return {
      store,
      newRoot: () => pathToFileURL(join(dir, randomUUID(), 'artifacts')).href,
      cleanup: async () => {
        await store.close();
        remove();
      },
    };
  },
  { name: 'LocalArtifactStore conformance' },
);

runArtifactConformance(
  () => {
    const { dir, remove } = tempDir('logbook-artifacts-gzip-conf-');
    const store = new LocalArtifactStore({ compress: true });
    return {
      store,
      newRoot: () => pathToFileURL(join(dir, randomUUID(), 'artifacts')).href,
      cleanup: async () => {
        await store.close();
        remove();
      },
    };
  },
  { name: 'LocalArtifactStore (artifactCompression) conformance' },
);
