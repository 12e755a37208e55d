import { randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, open, readdir, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { LogbookError } from '@logbook/core';
import type { ArtifactBody, ArtifactDownload, ArtifactStore, FileInfo, PutArtifactOptions } from '@logbook/core';
import { invalidParam, notFound } from '../errors.js';
import { TEMP_SUFFIX, childPath, resolveArtifact } from './file-root.js';

/** Options of {@link LocalArtifactStore}. */
export interface LocalArtifactStoreOptions {
  /** Bytes; larger artifacts are refused (before a byte is written when the size is known). @default no limit */
  readonly maxArtifactSize?: number;
  /** fsync each file before it is renamed into place (survives power loss, not only crashes). @default true */
  readonly fsync?: boolean;
}

function toStream(body: ArtifactBody): Readable {
  if (body instanceof Readable) return body;
  if (Buffer.isBuffer(body) || body instanceof Uint8Array) return Readable.from([Buffer.from(body.buffer, body.byteOffset, body.byteLength)]);
  if (typeof (body as { filePath?: unknown }).filePath === 'string') return createReadStream((body as { filePath: string }).filePath);
  return invalidParam('Artifact body must be a Buffer, a Uint8Array, a Readable or { filePath }.', 'body');
}

function isMissing(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

/**
 * Artifacts as files under `file:` roots. A write streams into a temp file beside the target and
 * renames it into place, so readers and crashes never see half a file.
 */
export class LocalArtifactStore implements ArtifactStore {
  readonly schemes: readonly string[] = ['file'];
  private readonly maxSize: number;
  private readonly fsync: boolean;

  constructor(options: LocalArtifactStoreOptions = {}) {
    this.maxSize = options.maxArtifactSize ?? Number.POSITIVE_INFINITY;
    this.fsync = options.fsync ?? true;
  }

  async put(artifactUri: string, path: string, body: ArtifactBody, options: PutArtifactOptions = {}): Promise<FileInfo> {
    const target = resolveArtifact(artifactUri, path);
    if (target.rel === '') invalidParam('An artifact path must name a file, got an empty path.', 'path');
    if (options.size !== undefined && options.size > this.maxSize) this.tooLarge(target.rel, options.size);
    await mkdir(dirname(target.full), { recursive: true });
    const temp = join(dirname(target.full), `.${basename(target.full)}.${randomUUID()}${TEMP_SUFFIX}`);
    let bytes = 0;
    const counter = new Transform({
      transform: (chunk: Buffer | string, _encoding, done) => {
        bytes += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length;
        done(bytes > this.maxSize ? this.sizeError(target.rel, bytes) : null, chunk);
      },
    });
    try {
      await pipeline(toStream(body), counter, createWriteStream(temp, { flags: 'wx' }));
      if (this.fsync) {
        const handle = await open(temp, 'r');
        try {
          await handle.sync();
        } finally {
          await handle.close();
        }
      }
      await rename(temp, target.full);
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
    return { path: target.rel, isDir: false, fileSize: bytes };
  }

  async get(artifactUri: string, path: string): Promise<ArtifactDownload> {
    const target = resolveArtifact(artifactUri, path);
    const info = await stat(target.full).catch((error: unknown) => (isMissing(error) ? undefined : Promise.reject(error)));
    if (info === undefined || !info.isFile()) notFound(`No artifact at '${target.rel}' under ${artifactUri}.`, 'path');
    return { stream: createReadStream(target.full), size: info.size };
  }

  async list(artifactUri: string, path?: string): Promise<readonly FileInfo[]> {
    const dir = resolveArtifact(artifactUri, path);
    const entries = await readdir(dir.full, { withFileTypes: true }).catch((error: unknown) => (isMissing(error) ? [] : Promise.reject(error)));
    const infos = await Promise.all(
      entries
        .filter((e) => !e.name.endsWith(TEMP_SUFFIX) && (e.isDirectory() || e.isFile()))
        .map(async (e): Promise<FileInfo> => e.isDirectory()
          ? { path: childPath(dir.rel, e.name), isDir: true }
          : { path: childPath(dir.rel, e.name), isDir: false, fileSize: (await stat(join(dir.full, e.name))).size }),
    );
    return infos.sort((a, b) => (a.isDir === b.isDir ? (a.path < b.path ? -1 : a.path > b.path ? 1 : 0) : a.isDir ? -1 : 1));
  }

  async delete(artifactUri: string, path?: string): Promise<void> {
    await rm(resolveArtifact(artifactUri, path).full, { recursive: true, force: true });
  }

  /** Holds no handles between calls; nothing to release. */
  async close(): Promise<void> {}

  private sizeError(rel: string, size: number): LogbookError {
    return new LogbookError('PAYLOAD_TOO_LARGE', `[sqlite] Artifact '${rel}' is ${size} bytes or more; the limit is ${this.maxSize} bytes.`, { field: 'body' });
  }

  private tooLarge(rel: string, size: number): never {
    throw this.sizeError(rel, size);
  }
}

