// Core's MemoryStore with read-only views of what it holds, for the wiring, logging and service
// tests of core: they look at what reached the store without going through the services again.
import { MemoryArtifactStore, MemoryStore } from '../../src/index.js';
import type { ArtifactBody, FileInfo, Metric, PutArtifactOptions } from '../../src/index.js';

/** What a run holds: every logged point (the full history, not only the latest), params, tags. */
export interface RunView {
  readonly metrics: readonly Metric[];
  readonly params: Readonly<Record<string, string>>;
  readonly tags: Readonly<Record<string, string>>;
}

export class RecordingStore extends MemoryStore {
  /** How often close() was called. */
  closed = 0;

  /** Experiments by id, the Default experiment ("0") included. */
  get experiments(): ReadonlyMap<string, unknown> {
    return this.state.experiments;
  }

  /** Registered models by name, with their versions. */
  get models(): ReadonlyMap<string, { readonly versions: ReadonlyMap<number, unknown> }> {
    return this.state.models;
  }

  /** Runs by id, read synchronously. */
  readonly runs = {
    get: (runId: string): RunView | undefined => {
      const r = this.state.runs.get(runId);
      return r === undefined ? undefined : { metrics: [...r.history], params: Object.fromEntries(r.params), tags: Object.fromEntries(r.tags) };
    },
  };

  override async close(): Promise<void> {
    this.closed++;
    return super.close();
  }
}

export class RecordingArtifactStore extends MemoryArtifactStore {
  /** Every put, in order, with the size the caller announced. */
  readonly putCalls: { uri: string; path: string; size?: number }[] = [];
  closed = 0;

  /** Every stored file as `<artifact URI>/<path>` → bytes. */
  get files(): ReadonlyMap<string, Buffer> {
    return new Map([...this.roots].flatMap(([uri, files]) => [...files].map(([path, bytes]): [string, Buffer] => [`${uri}/${path}`, bytes])));
  }

  override async put(uri: string, path: string, body: ArtifactBody, options: PutArtifactOptions = {}): Promise<FileInfo> {
    this.putCalls.push({ uri, path, ...(options.size === undefined ? {} : { size: options.size }) });
    return super.put(uri, path, body, options);
  }

  override async close(): Promise<void> {
    this.closed++;
    return super.close();
  }
}
