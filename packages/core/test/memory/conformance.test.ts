// The memory store passes the same conformance suites as the SQLite and MLflow stores. Core cannot
// depend on @logbook/testkit (testkit depends on core), so the suites are imported by path.
import { randomUUID } from 'node:crypto';
import { runArtifactConformance, runRegistryConformance, runTrackingConformance } from '../../../testkit/src/index.js';
import { MemoryArtifactStore, MemoryStore } from '../../src/index.js';

function memoryStore() {
  const store = new MemoryStore();
  return { store, tracking: store, cleanup: () => store.close() };
}

runTrackingConformance(memoryStore, { name: 'MemoryStore tracking conformance' });
runRegistryConformance(
  () => {
    const store = new MemoryStore();
    const artifacts = new MemoryArtifactStore();
    return {
      store,
      tracking: store,
      artifacts,
      cleanup: async () => {
        await store.close();
        await artifacts.close();
      },
    };
  },
  { name: 'MemoryStore registry conformance', versioning: true },
);
runArtifactConformance(
  () => {
    const store = new MemoryArtifactStore();
    return { store, newRoot: () => `memory:///artifacts/${randomUUID()}`, cleanup: () => store.close() };
  },
  { name: 'MemoryArtifactStore conformance' },
);
