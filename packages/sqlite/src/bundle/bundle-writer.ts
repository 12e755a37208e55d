import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { dirname, basename, join } from 'node:path';
import { BUNDLE_FORMAT_VERSION, CHUNK_SIZE, HEADER_SIZE, encodeHeader, encodeTrailer } from './container-format.js';
import type { BundleManifest, BundlePart } from './manifest.js';

/**
 * Writes a `.lbk` container: parts are streamed in one at a time (a fixed-size buffer, whatever
 * their size), then the manifest and the trailer. The file appears under its final name only
 * when complete and synced to disk (written beside it under a temporary name, then renamed).
 */
export class BundleWriter {
  private readonly parts: BundlePart[] = [];
  private readonly buffer = Buffer.allocUnsafe(CHUNK_SIZE);
  private position = HEADER_SIZE;

  private constructor(
    private readonly handle: FileHandle,
    private readonly tempPath: string,
    private readonly finalPath: string,
  ) {}

  /** Starts a container that will be `path` once {@link finish} resolves. */
  static async create(path: string): Promise<BundleWriter> {
    await mkdir(dirname(path), { recursive: true });
    const tempPath = join(dirname(path), `.${basename(path)}.${randomBytes(4).toString('hex')}.partial`);
    const handle = await open(tempPath, 'wx');
    await handle.write(encodeHeader(BUNDLE_FORMAT_VERSION), 0, HEADER_SIZE, 0);
    return new BundleWriter(handle, tempPath, path);
  }

  /** Appends the file at `sourcePath` as part `name`; returns its size. */
  async addFile(name: string, sourcePath: string): Promise<number> {
    const source = await open(sourcePath, 'r');
    const hash = createHash('sha256');
    const offset = this.position;
    try {
      for (;;) {
        const { bytesRead } = await source.read(this.buffer, 0, CHUNK_SIZE, null);
        if (bytesRead === 0) break;
        const chunk = this.buffer.subarray(0, bytesRead);
        hash.update(chunk);
        await this.writeAll(chunk);
      }
    } finally {
      await source.close();
    }
    const size = this.position - offset;
    this.parts.push({ name, offset, size, sha256: hash.digest('hex') });
    return size;
  }

  /** Writes the manifest (`parts` filled in) and the trailer, syncs and renames; returns the manifest. */
  async finish(manifest: Omit<BundleManifest, 'parts'>): Promise<BundleManifest> {
    const complete: BundleManifest = { ...manifest, parts: this.parts };
    const json = Buffer.from(JSON.stringify(complete), 'utf8');
    const offset = this.position;
    await this.writeAll(json);
    await this.writeAll(encodeTrailer(offset, json.length, createHash('sha256').update(json).digest()));
    await this.handle.sync();
    await this.handle.close();
    await rename(this.tempPath, this.finalPath);
    return complete;
  }

  /** Gives up: closes and removes the partial file. */
  async abort(): Promise<void> {
    await this.handle.close().catch(() => undefined);
    await rm(this.tempPath, { force: true });
  }

  private async writeAll(chunk: Buffer): Promise<void> {
    let done = 0;
    while (done < chunk.length) {
      const { bytesWritten } = await this.handle.write(chunk, done, chunk.length - done, this.position);
      done += bytesWritten;
      this.position += bytesWritten;
    }
  }
}
