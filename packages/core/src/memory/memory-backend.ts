import type { LogbookConfig } from '../config/types.js';
import type { Backend, BackendContext, BackendProvider } from '../contracts/backend.js';
import { MemoryArtifactStore } from './memory-artifact-store.js';
import { MemoryStore } from './memory-store.js';
import type { MemoryStoreOptions } from './memory-options.js';

/** True for the tracking URIs the memory backend serves: `memory:` and `memory:<anything>`. */
export function isMemoryUri(trackingUri: string): boolean {
  return /^memory:/i.test(trackingUri);
}

/** A {@link Backend} whose three stores are one {@link MemoryStore} and a {@link MemoryArtifactStore}. */
export class MemoryBackend implements Backend {
  readonly store: MemoryStore;
  readonly artifacts: MemoryArtifactStore;

  constructor(options: MemoryStoreOptions & { readonly maxArtifactSize?: number } = {}) {
    this.store = new MemoryStore(options);
    this.artifacts = new MemoryArtifactStore(options.maxArtifactSize === undefined ? {} : { maxArtifactSize: options.maxArtifactSize });
  }

  get tracking(): MemoryStore {
    return this.store;
  }

  get registry(): MemoryStore {
    return this.store;
  }

  /** Closes both stores; idempotent. */
  async close(): Promise<void> {
    await Promise.all([this.store.close(), this.artifacts.close()]);
  }

  /** Same as `close()`: tsyringe's `Disposable`, for containers that dispose what they hold. */
  dispose(): Promise<void> {
    return this.close();
  }
}

/**
 * Serves `memory:` tracking URIs: every `createLogbook({ trackingUri: 'memory:' })` gets a fresh,
 * empty {@link MemoryBackend} (artifacts in memory too), gone when the logbook closes.
 */
export const memoryBackendProvider: BackendProvider = {
  name: 'memory',
  handles: isMemoryUri,
  async create(config: LogbookConfig, _logger, context?: BackendContext) {
    return new MemoryBackend({ maxArtifactSize: config.maxArtifactSize, ...(context === undefined ? {} : { now: context.now, newId: context.newId }) });
  },
};
