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

/** A fresh LocalArtifactStore over its own temporary folder, for the artifact conformance suite. */
function localArtifactFixture(prefix: string, options: { compress?: boolean } = {}) {
  return () => {
    const { dir, remove } = tempDir(prefix);
    const store = new LocalArtifactStore(options);
    return {
      store,
      newRoot: () => pathToFileURL(join(dir, randomUUID(), 'artifacts')).href,
      cleanup: async () => {
        await store.close();
        remove();
      },
    };
  };
}

runArtifactConformance(localArtifactFixture('logbook-artifacts-conf-'), { name: 'LocalArtifactStore conformance' });
runArtifactConformance(localArtifactFixture('logbook-artifacts-gzip-conf-', { compress: true }), { name: 'LocalArtifactStore (artifactCompression) conformance' });
