import { describe, expect, it } from 'vitest';
import { SqliteStore, LocalArtifactStore } from '@logbook/sqlite';
import { createLogbookRouter } from '../src/index.js';
import type { LogbookRouterOptions } from '../src/index.js';

describe('createLogbookRouter', () => {
  it('fails fast without auth: there is no implicit open mode', () => {
    const store = new SqliteStore({ path: ':memory:' });
    expect(() => createLogbookRouter({ stores: { tracking: store, registry: store, artifacts: new LocalArtifactStore() } } as unknown as LogbookRouterOptions)).toThrow(/auth\.authenticators/);
  });

  it('fails fast without stores', () => {
    expect(() => createLogbookRouter({ auth: { authenticators: [] } })).toThrow(/needs `logbook`, `stores`/);
  });

  it('mounts under /mlflow by default and under any prefix given', () => {
    const store = new SqliteStore({ path: ':memory:' });
    const stores = { tracking: store, registry: store, artifacts: new LocalArtifactStore() };
    expect(createLogbookRouter({ stores, auth: { authenticators: [] } }).stack.map((l) => String(l.path))).toContain('/mlflow/experiments');
    expect(createLogbookRouter({ stores, auth: { authenticators: [] }, prefix: '/tracking/' }).stack.map((l) => String(l.path))).toContain('/tracking/experiments');
  });
});
