import { randomUUID } from 'node:crypto';
import { constants, createReadStream, createWriteStream } from 'node:fs';
import { lstat, open, readdir, rename, rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { PassThrough, Readable, Transform } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { pipeline } from 'node:stream/promises';
import { LogbookError, isLogbookError } from '@logbook/core';
import { localArtifactRoot } from '@logbook/core/spi';
import type { ArtifactBody, ArtifactDownload, FileInfo, PutArtifactOptions } from '@logbook/core';
import type { ArtifactStore } from '@logbook/core/spi';
import { fail, invalidParam, notFound } from '../errors.js';
import { ContainedPaths, isMissing } from './contained-path.js';
import { TEMP_SUFFIX, childPath, resolveArtifact } from './file-root.js';
import { GZIP_HEADER_BYTES, compressFile, gzipSizeOf, readGzipHeader, startsWithMagic, writeGzipFile } from './gzip-file.js';

/** Options of {@link LocalArtifactStore}. */
export interface LocalArtifactStoreOptions {
  /** Bytes; larger artifacts are refused (before a byte is written when the size is known). @default no limit */
  readonly maxArtifactSize?: number;
  /** fsync each file before it is renamed into place (survives power loss, not only crashes). @default true */
  readonly fsync?: boolean;
  /**
   * The artifact root (a folder or a `file:` URI): run folders outside it, or reached through a
   * symbolic link that leaves it, are refused. Without it each run's folder is its own bound.
   * Paths inside a run folder are always checked after resolving symbolic links.
   * @default none
   */
  readonly root?: string;
  /**
   * gzip what is written (`artifactCompression`); reads decompress, so callers see the bytes they
   * wrote. Files keep their names; a header marks the compressed ones, so files written with the
   * option off read the same either way. @default false
   */
  readonly compress?: boolean;
}

function toStream(body: ArtifactBody): Readable {
  if (body instanceof Readable) return body;
  if (Buffer.isBuffer(body) || body instanceof Uint8Array) return Readable.from([Buffer.from(body.buffer, body.byteOffset, body.byteLength)]);
  if (typeof (body as { filePath?: unknown }).filePath === 'string') return createReadStream((body as { filePath: string }).filePath);
  return invalidParam('Artifact body must be a Buffer, a Uint8Array, a Readable or { filePath }.', 'body');
}

/** The size a reader gets: the original size of a compressed file, else the size on disk. */
async function fileSize(path: string): Promise<number> {
  const { size } = await lstat(path);
  if (size < GZIP_HEADER_BYTES) return size;
  return (await gzipSizeOf(path).catch(() => undefined)) ?? size;
}

/** The decompressed stream; a corrupt file fails the stream with DATA_LOSS naming the artifact. */
function gunzipped(source: Readable, rel: string): Readable {
  const gunzip = createGunzip();
  const out = new PassThrough();
  const fail = (error: Error): void => {
    out.destroy(new LogbookError('DATA_LOSS', `[sqlite] Artifact '${rel}' is stored compressed and cannot be read back: ${error.message}`, { field: 'path', cause: error }));
  };
  source.on('error', fail);
  gunzip.on('error', fail);
  // A reader that stops early releases the file.
  out.on('close', () => {
    source.destroy();
    gunzip.destroy();
  });
  source.pipe(gunzip).pipe(out);
  return out;
}

/** Turns a file-system error into a LogbookError that names the artifact path, never a server path. */
function fsFailure(error: unknown, rel: string, action: string): never {
  if (isLogbookError(error)) throw error;
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string' || typeof (error as { syscall?: unknown }).syscall !== 'string') throw error;
  if (code === 'ENOTDIR' || code === 'EEXIST') return fail('INVALID_PARAMETER_VALUE', `Cannot ${action} artifact '${rel}': a folder on its path is a file.`, 'path');
  if (code === 'EISDIR' || code === 'ENOTEMPTY') return fail('INVALID_PARAMETER_VALUE', `Cannot ${action} artifact '${rel}': it is a folder.`, 'path');
  return fail('INTERNAL_ERROR', `Could not ${action} artifact '${rel}' (${code}).`, 'path');
}

/**
 * Artifacts as files under `file:` roots. A write streams into a temp file beside the target and
 * renames it into place, so readers and crashes never see half a file. Every path is checked after
 * resolution (symbolic links too) against the run's folder, and errors name the artifact path
 * relative to it, never a server path.
 */
export class LocalArtifactStore implements ArtifactStore {
  readonly schemes: readonly string[] = ['file'];
  private readonly maxSize: number;
  private readonly fsync: boolean;
  private readonly paths: ContainedPaths;
  /** True with the `compress` option: artifacts are gzipped on write and decompressed on read. */
  readonly compresses: boolean;

  constructor(options: LocalArtifactStoreOptions = {}) {
    this.maxSize = options.maxArtifactSize ?? Number.POSITIVE_INFINITY;
    this.fsync = options.fsync ?? true;
    this.compresses = options.compress === true;
    const root = options.root === undefined ? undefined : localArtifactRoot(options.root);
    if (options.root !== undefined && root === undefined) {
      throw new LogbookError('INVALID_CONFIGURATION', "[sqlite] Option 'root' of LocalArtifactStore must be a folder path or a file: URI.", { field: 'root' });
    }
    this.paths = new ContainedPaths(root);
  }

  async put(artifactUri: string, path: string, body: ArtifactBody, options: PutArtifactOptions = {}): Promise<FileInfo> {
    const target = resolveArtifact(artifactUri, path);
    if (target.rel === '') invalidParam('An artifact path must name a file, got an empty path.', 'path');
    if (options.size !== undefined && options.size > this.maxSize) this.tooLarge(target.rel, options.size);
    const folder = await this.paths.writableFolder(target).catch((error: unknown) => fsFailure(error, target.rel, 'write'));
    const temp = join(folder, `.${basename(target.full)}.${randomUUID()}${TEMP_SUFFIX}`);
    const recompressed = join(folder, `.${basename(target.full)}.${randomUUID()}${TEMP_SUFFIX}`);
    let bytes = 0;
    const counter = new Transform({
      transform: (chunk: Buffer | string, _encoding, done) => {
        bytes += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length;
        done(bytes > this.maxSize ? this.sizeError(target.rel, bytes) : null, chunk);
      },
    });
    try {
      if (this.compresses) {
        await writeGzipFile([toStream(body), counter], temp, () => bytes);
      } else {
        await pipeline(toStream(body), counter, createWriteStream(temp, { flags: 'wx' }));
        if (await startsWithMagic(temp)) {
          // Stored as it is, this file would read back as a compressed one: store it compressed.
          await compressFile(temp, recompressed);
          await rename(recompressed, temp);
        }
      }
      if (this.fsync) {
        const handle = await open(temp, 'r');
        try {
          await handle.sync();
        } finally {
          await handle.close();
        }
      }
      // A link at the target name is replaced, never written through.
      await rename(temp, join(folder, basename(target.full)));
    } catch (error) {
      await Promise.all([rm(temp, { force: true }), rm(recompressed, { force: true })]);
      fsFailure(error, target.rel, 'write');
    }
    return { path: target.rel, isDir: false, fileSize: bytes };
  }

  async get(artifactUri: string, path: string): Promise<ArtifactDownload> {
    const target = resolveArtifact(artifactUri, path);
    const real = await this.paths.existing(target).catch((error: unknown) => fsFailure(error, target.rel, 'read'));
    const missing = (): never => notFound(`No artifact at '${target.rel}' in the run's artifacts.`, 'path');
    if (real === undefined) return missing();
    // O_NOFOLLOW: a link swapped in after the check is not followed.
    const handle = await open(real, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0)).catch((error: unknown) => (isMissing(error) ? missing() : fsFailure(error, target.rel, 'read')));
    const info = await handle.stat().catch(async (error: unknown) => {
      await handle.close();
      return fsFailure(error, target.rel, 'read');
    });
    if (!info.isFile()) {
      await handle.close();
      return missing();
    }
    const original = await readGzipHeader(handle).catch(async (error: unknown) => {
      await handle.close();
      return fsFailure(error, target.rel, 'read');
    });
    if (original === undefined) return { stream: handle.createReadStream(), size: info.size };
    return { stream: gunzipped(handle.createReadStream({ start: GZIP_HEADER_BYTES }), target.rel), size: original };
  }

  async list(artifactUri: string, path?: string): Promise<readonly FileInfo[]> {
    const dir = resolveArtifact(artifactUri, path);
    const real = await this.paths.existing(dir).catch((error: unknown) => fsFailure(error, dir.rel, 'list'));
    if (real === undefined) return [];
    const entries = await readdir(real, { withFileTypes: true }).catch((error: unknown) => (isMissing(error) ? [] : fsFailure(error, dir.rel, 'list')));
    // Links are neither files nor folders here: never listed, never followed.
    const infos = await Promise.all(
      entries
        .filter((e) => !e.name.endsWith(TEMP_SUFFIX) && (e.isDirectory() || e.isFile()))
        .map(
          async (e): Promise<FileInfo> =>
            e.isDirectory() ? { path: childPath(dir.rel, e.name), isDir: true } : { path: childPath(dir.rel, e.name), isDir: false, fileSize: await fileSize(join(real, e.name)) },
        ),
    );
    return infos.sort((a, b) => (a.isDir === b.isDir ? (a.path < b.path ? -1 : a.path > b.path ? 1 : 0) : a.isDir ? -1 : 1));
  }

  async delete(artifactUri: string, path?: string): Promise<void> {
    const target = resolveArtifact(artifactUri, path);
    try {
      const removable = await this.paths.removable(target);
      if (removable !== undefined) await rm(removable, { recursive: true, force: true });
    } catch (error) {
      fsFailure(error, target.rel, 'delete');
    }
  }

  /** Holds no handles between calls; nothing to release. */
  async close(): Promise<void> {}

  /** Same as `close()`: tsyringe's `Disposable`, for containers that dispose what they hold. */
  dispose(): Promise<void> {
    return this.close();
  }

  private sizeError(rel: string, size: number): LogbookError {
    return new LogbookError('PAYLOAD_TOO_LARGE', `[sqlite] Artifact '${rel}' is ${size} bytes or more; the limit is ${this.maxSize} bytes.`, { field: 'body' });
  }

  private tooLarge(rel: string, size: number): never {
    throw this.sizeError(rel, size);
  }
}
