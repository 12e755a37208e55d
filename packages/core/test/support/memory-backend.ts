// In-memory artifact store and a BackendProvider over the in-memory doubles, for core's wiring
// and service tests.
import { Readable } from 'node:stream';
import { createReadStream } from 'node:fs';
import type { ArtifactBody, ArtifactDownload, ArtifactStore, Backend, BackendProvider, FileInfo } from '../../src/index.js';
import { MemoryRegistryStore } from './memory-registry-store.js';
import { MemoryTrackingStore } from './memory-tracking-store.js';

async function readAll(body: ArtifactBody): Promise<Buffer> {
  if (Buffer.isBuffer(body)) return body;
  if (body instanceof Uint8Array) return Buffer.from(body);
  const stream = body instanceof Readable ? body : createReadStream(body.filePath);
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks);
}

export class MemoryArtifactStore implements ArtifactStore {
  readonly schemes = ['mem'];
  readonly files = new Map<string, Buffer>();
  readonly putCalls: { uri: string; path: string; size?: number }[] = [];
  closed = 0;

  async put(uri: string, path: string, body: ArtifactBody, options: { size?: number } = {}): Promise<FileInfo> {
    this.putCalls.push({ uri, path, ...(options.size === undefined ? {} : { size: options.size }) });
    const bytes = await readAll(body);
    this.files.set(`${uri}/${path}`, bytes);
    return { path, isDir: false, fileSize: bytes.length };
  }
  async get(uri: string, path: string): Promise<ArtifactDownload> {
    const bytes = this.files.get(`${uri}/${path}`)!;
    return { stream: Readable.from([bytes]), size: bytes.length };
  }
  async list(uri: string): Promise<readonly FileInfo[]> {
    return [...this.files.entries()].filter(([k]) => k.startsWith(`${uri}/`)).map(([k, v]) => ({ path: k.slice(uri.length + 1), isDir: false, fileSize: v.length }));
  }
  async delete(uri: string, path = ''): Promise<void> {
    for (const k of [...this.files.keys()]) if (k.startsWith(`${uri}/${path}`)) this.files.delete(k);
  }
  async close(): Promise<void> {
    this.closed++;
  }
}

export class MemoryBackend implements Backend {
  readonly tracking = new MemoryTrackingStore();
  readonly registry = new MemoryRegistryStore();
  readonly artifacts = new MemoryArtifactStore();
  closed = 0;
  async close(): Promise<void> {
    this.closed++;
    await Promise.all([this.tracking.close(), this.registry.close(), this.artifacts.close()]);
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
