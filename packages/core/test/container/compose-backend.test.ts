import { describe, expect, it } from 'vitest';
import { composeBackend } from '../../src/spi.js';
import type { ArtifactStore, RegistryStore, TrackingStore } from '../../src/spi.js';

function closable() {
  const c = {
    closed: 0,
    close: async () => {
      c.closed++;
    },
  };
  return c;
}

describe('composeBackend', () => {
  it('closes a store serving tracking and registry once, every other resource once, however often close() is called', async () => {
    const store = closable();
    const artifacts = closable();
    const extra = closable();
    const backend = composeBackend({ tracking: store as unknown as TrackingStore, registry: store as unknown as RegistryStore, artifacts: artifacts as unknown as ArtifactStore }, [extra]);
    await Promise.all([backend.close(), backend.close()]);
    await backend.close();
    expect([store.closed, artifacts.closed, extra.closed]).toEqual([1, 1, 1]);
    expect(backend.tracking).toBe(store);
    expect(backend.registry).toBe(store);
  });
});
