// A Backend over core's memory stores with recording views (recording-store.ts), and a
// BackendProvider that hands them out, for core's wiring and service tests.
import type { Backend, BackendProvider } from '../../src/spi.js';
import { RecordingArtifactStore, RecordingStore } from './recording-store.js';

export class MemoryBackend implements Backend {
  readonly tracking = new RecordingStore();
  readonly artifacts = new RecordingArtifactStore();
  closed = 0;

  get registry(): RecordingStore {
    return this.tracking;
  }

  async close(): Promise<void> {
    this.closed++;
    await Promise.all([this.tracking.close(), this.artifacts.close()]);
  }
}

/** A provider serving `memory:` URIs; `created` lists the backends it made. */
export function memoryProvider(name = 'memory-test'): BackendProvider & { created: MemoryBackend[] } {
  const created: MemoryBackend[] = [];
  return {
    name,
    created,
    handles: (uri) => uri.startsWith('memory:'),
    async create() {
      const backend = new MemoryBackend();
      created.push(backend);
      return backend;
    },
  };
}
