import type { ArtifactStore } from '../contracts/artifact-store.js';
import type { Backend } from '../contracts/backend.js';
import type { RegistryStore } from '../contracts/registry-store.js';
import type { TrackingStore } from '../contracts/tracking-store.js';

/** Anything a {@link Backend} closes. */
export interface Closable {
  close(): Promise<void>;
}

/**
 * A {@link Backend} of the given stores whose `close()` closes each distinct store (tracking and
 * registry are often one object) and every extra resource once, however often it is called.
 *
 * @example
 * ```ts
 * const store = new SqliteStore({ path });
 * return composeBackend({ tracking: store, registry: store, artifacts: new LocalArtifactStore() });
 * ```
 */
export function composeBackend(stores: { readonly tracking: TrackingStore; readonly registry: RegistryStore; readonly artifacts: ArtifactStore }, extra: readonly Closable[] = []): Backend {
  const owned = [...new Set<Closable>([stores.tracking, stores.registry, stores.artifacts, ...extra])];
  let closing: Promise<void> | undefined;
  return {
    tracking: stores.tracking,
    registry: stores.registry,
    artifacts: stores.artifacts,
    close: () => (closing ??= Promise.all(owned.map((c) => c.close())).then(() => undefined)),
  };
}
