import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runTrackingConformance } from '@logbook/testkit';
import { SqliteStore } from '../src/index.js';

runTrackingConformance(() => {
  const store = new SqliteStore({ path: ':memory:' });
  return { store, cleanup: () => store.close() };
}, { name: 'SqliteStore (:memory:) tracking conformance' });

runTrackingConformance(() => {
  const dir = mkdtempSync(join(tmpdir(), 'logbook-sqlite-conf-'));
  const store = new SqliteStore({ path: join(dir, 'logbook.db') });
  return {
    store,
    cleanup: async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}, { name: 'SqliteStore (file) tracking conformance' });
