import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import type { ArtifactStore } from '../contracts/artifact-store.js';
import type { ArtifactBody, ArtifactDownload, FileInfo, PutArtifactOptions } from '../model/artifact.js';
import { validateArtifactPath } from '../validation/artifact-path.js';
import { parseArtifactLocation } from '../validation/artifact-location.js';
import { fail, invalidParam, notFound } from './memory-errors.js';

/** Options of {@link MemoryArtifactStore}. */
export interface MemoryArtifactStoreOptions {
  /** URI schemes served. @default ['memory'] */
  readonly schemes?: readonly string[];
  /** Bytes; larger artifacts are refused with PAYLOAD_TOO_LARGE. @default no limit */
  readonly maxArtifactSize?: number;
}

async function readBody(body: ArtifactBody): Promise<Buffer> {
  if (Buffer.isBuffer(body)) return Buffer.from(body);
  if (body instanceof Uint8Array) return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  let stream: Readable;
  if (body instanceof Readable) stream = body;
  // The caller's own file: reading it is the only I/O, and it is the caller's.
  else if (typeof (body as { filePath?: unknown }).filePath === 'string') stream = createReadStream((body as { filePath: string }).filePath);
  else return invalidParam('Artifact body must be a Buffer, a Uint8Array, a Readable or { filePath }.', 'body');
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}

function byName(a: FileInfo, b: FileInfo): number {
  if (a.isDir !== b.isDir) return a.isDir ? -1 : 1;
  return a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
}

/**
 * Artifacts held in memory, keyed by the run's artifact URI and the relative path: the artifact
 * store of `createLogbook({ trackingUri: 'memory:' })` and of unit tests. Paths are validated as
 * every store does (`..`, absolute and encoded traversal refused). Bodies are buffered whole.
 */
export class MemoryArtifactStore implements ArtifactStore {
  readonly schemes: readonly string[];
  private readonly maxSize: number;
  /** Artifact root → relative path → bytes; subclasses (test helpers) may look inside. */
  protected readonly roots = new Map<string, Map<string, Buffer>>();
  #closed = false;

  constructor(options: MemoryArtifactStoreOptions = {}) {
    this.schemes = options.schemes ?? ['memory'];
    this.maxSize = options.maxArtifactSize ?? Number.POSITIVE_INFINITY;
  }

  private filesOf(artifactUri: string, create: boolean): Map<string, Buffer> | undefined {
    if (this.#closed) fail('INVALID_STATE', 'The memory artifact store is closed.');
    parseArtifactLocation(artifactUri, 'artifactUri');
    const key = artifactUri.replace(/\/+$/, '');
    let files = this.roots.get(key);
    if (files === undefined && create) this.roots.set(key, (files = new Map()));
    return files;
  }

  async put(artifactUri: string, path: string, body: ArtifactBody, options: PutArtifactOptions = {}): Promise<FileInfo> {
    const rel = validateArtifactPath(path);
    if (rel === '') invalidParam('An artifact path must name a file, got an empty path.', 'path');
    if (options.size !== undefined && options.size > this.maxSize) this.tooLarge(rel, options.size);
    const files = this.filesOf(artifactUri, true)!;
    const bytes = await readBody(body);
    if (bytes.length > this.maxSize) this.tooLarge(rel, bytes.length);
    files.set(rel, bytes);
    return { path: rel, isDir: false, fileSize: bytes.length };
  }

  async get(artifactUri: string, path: string): Promise<ArtifactDownload> {
    const rel = validateArtifactPath(path);
    const bytes = this.filesOf(artifactUri, false)?.get(rel) ?? notFound(`No artifact at '${rel}' in the run's artifacts.`, 'path');
    return { stream: Readable.from([bytes]), size: bytes.length };
  }

  async list(artifactUri: string, path?: string): Promise<readonly FileInfo[]> {
    const rel = validateArtifactPath(path ?? '');
    const prefix = rel === '' ? '' : `${rel}/`;
    const children = new Map<string, FileInfo>();
    for (const [file, bytes] of this.filesOf(artifactUri, false) ?? []) {
      if (!file.startsWith(prefix)) continue;
      const slash = file.indexOf('/', prefix.length);
      const child = slash < 0 ? file : file.slice(0, slash);
      children.set(child, slash < 0 ? { path: child, isDir: false, fileSize: bytes.length } : { path: child, isDir: true });
    }
    return [...children.values()].sort(byName);
  }

  async delete(artifactUri: string, path?: string): Promise<void> {
    const rel = validateArtifactPath(path ?? '');
    const files = this.filesOf(artifactUri, false);
    if (files === undefined) return;
    for (const file of [...files.keys()]) if (rel === '' || file === rel || file.startsWith(`${rel}/`)) files.delete(file);
  }

  /** Later calls are INVALID_STATE. Idempotent. */
  async close(): Promise<void> {
    this.#closed = true;
  }

  /** Same as `close()`: tsyringe's `Disposable`, for containers that dispose what they hold. */
  dispose(): Promise<void> {
    return this.close();
  }

  private tooLarge(rel: string, size: number): never {
    return fail('PAYLOAD_TOO_LARGE', `Artifact '${rel}' is ${size} bytes or more; the limit is ${this.maxSize} bytes.`, 'body');
  }
}
