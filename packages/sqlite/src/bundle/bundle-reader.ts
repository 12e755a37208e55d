import { createHash } from 'node:crypto';
import { mkdir, open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { validateArtifactPath } from '@logbook/core/spi';
import { bundleError } from './bundle-errors.js';
import { ARTIFACTS_PART_PREFIX, BUNDLE_FORMAT_VERSION, CHUNK_SIZE, DATABASE_PART, HEADER_MAGIC, HEADER_SIZE, TRAILER_SIZE, decodeTrailer } from './container-format.js';
import type { BundleManifest, BundlePart } from './manifest.js';

/**
 * An open `.lbk` container whose header, trailer and manifest were checked (parts are not yet:
 * {@link BundleReader.verify} or {@link BundleReader.extract} hash them).
 */
export class BundleReader {
  private constructor(
    private readonly handle: FileHandle,
    readonly file: string,
    readonly manifest: BundleManifest,
  ) {}

  /** Opens `file` and checks everything but the parts' bytes; throws a typed error otherwise. */
  static async open(file: string): Promise<BundleReader> {
    const handle = await open(file, 'r').catch((error: unknown) => bundleError('INVALID_PARAMETER_VALUE', file, `cannot be opened (${(error as Error).message}).`));
    try {
      const manifest = await readManifest(handle, file);
      return new BundleReader(handle, file, manifest);
    } catch (error) {
      await handle.close();
      throw error;
    }
  }

  /** Hashes every part and compares it with the manifest. */
  async verify(): Promise<void> {
    for (const part of this.manifest.parts) await this.copyPart(part, undefined);
  }

  /**
   * Writes every part under `folder` (checking each path stays inside it after resolution),
   * hashing as it goes; throws on the first mismatch (the caller removes the folder).
   */
  async extract(folder: string): Promise<void> {
    const root = resolve(folder);
    for (const part of this.manifest.parts) {
      const target = resolve(root, ...part.name.split('/'));
      const rel = relative(root, target);
      if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) {
        bundleError('INVALID_PARAMETER_VALUE', this.file, `part '${part.name}' would be written outside the extraction folder.`, part.name);
      }
      await mkdir(dirname(target), { recursive: true });
      const out = await open(target, 'wx');
      try {
        await this.copyPart(part, out);
        await out.sync();
      } finally {
        await out.close();
      }
    }
  }

  async close(): Promise<void> {
    await this.handle.close().catch(() => undefined);
  }

  private async copyPart(part: BundlePart, out: FileHandle | undefined): Promise<void> {
    const hash = createHash('sha256');
    const buffer = Buffer.allocUnsafe(Math.min(CHUNK_SIZE, Math.max(part.size, 1)));
    let done = 0;
    while (done < part.size) {
      const want = Math.min(buffer.length, part.size - done);
      const { bytesRead } = await this.handle.read(buffer, 0, want, part.offset + done);
      if (bytesRead === 0) bundleError('DATA_LOSS', this.file, `part '${part.name}' is truncated.`, part.name);
      const chunk = buffer.subarray(0, bytesRead);
      hash.update(chunk);
      if (out !== undefined) await out.write(chunk, 0, chunk.length, done);
      done += bytesRead;
    }
    if (hash.digest('hex') !== part.sha256) {
      bundleError('DATA_LOSS', this.file, `part '${part.name}' was altered (its SHA-256 does not match the manifest).`, part.name);
    }
  }
}

async function readManifest(handle: FileHandle, file: string): Promise<BundleManifest> {
  const { size } = await handle.stat();
  const header = Buffer.alloc(HEADER_SIZE);
  await handle.read(header, 0, HEADER_SIZE, 0);
  if (!header.subarray(0, HEADER_MAGIC.length).equals(HEADER_MAGIC)) {
    bundleError('INVALID_PARAMETER_VALUE', file, 'is not a Logbook bundle (no LOGBOOK-BUNDLE header).');
  }
  const version = header.readUInt32BE(16);
  if (version > BUNDLE_FORMAT_VERSION) {
    bundleError(
      'SCHEMA_TOO_NEW',
      file,
      `has format version ${version}, written by a newer Logbook; this version reads format ${BUNDLE_FORMAT_VERSION}. Nothing was imported: upgrade Logbook to import it.`,
    );
  }
  if (size < HEADER_SIZE + TRAILER_SIZE) bundleError('DATA_LOSS', file, `is truncated (${size} bytes).`);
  const trailerBytes = Buffer.alloc(TRAILER_SIZE);
  await handle.read(trailerBytes, 0, TRAILER_SIZE, size - TRAILER_SIZE);
  const trailer = decodeTrailer(trailerBytes);
  if (trailer === undefined || trailer.offset < HEADER_SIZE || trailer.offset + trailer.length !== size - TRAILER_SIZE) {
    bundleError('DATA_LOSS', file, 'is truncated or damaged (no valid trailer at its end): copy it again from the station.');
  }
  const json = Buffer.alloc(trailer.length);
  await handle.read(json, 0, trailer.length, trailer.offset);
  if (createHash('sha256').update(json).digest('hex') !== trailer.sha256) {
    bundleError('DATA_LOSS', file, 'manifest was altered (its SHA-256 does not match the trailer).', 'manifest.json');
  }
  let manifest: BundleManifest;
  try {
    manifest = JSON.parse(json.toString('utf8')) as BundleManifest;
  } catch {
    return bundleError('DATA_LOSS', file, 'manifest is not valid JSON.', 'manifest.json');
  }
  checkManifest(manifest, version, trailer.offset, file);
  return manifest;
}

function checkManifest(m: BundleManifest, headerVersion: number, manifestOffset: number, file: string): void {
  const bad = (rule: string): never => bundleError('DATA_LOSS', file, `manifest ${rule}.`, 'manifest.json');
  if (m === null || typeof m !== 'object' || m.format !== 'logbook-bundle') bad('is not a Logbook bundle manifest');
  if (m.formatVersion !== headerVersion) bad(`says format ${String(m.formatVersion)} but the header says ${headerVersion}`);
  if (typeof m.stationId !== 'string' || m.stationId === '') bad('has no station id');
  if (!Array.isArray(m.parts)) bad('has no parts');
  let expected = HEADER_SIZE;
  let databases = 0;
  for (const part of m.parts) {
    if (typeof part?.name !== 'string' || !Number.isSafeInteger(part.offset) || !Number.isSafeInteger(part.size) || part.size < 0 || typeof part.sha256 !== 'string') {
      bad('has a malformed part');
    }
    if (part.offset !== expected) bad(`part '${part.name}' is not where the previous one ends`);
    expected += part.size;
    if (part.name === DATABASE_PART) databases += 1;
    else if (!part.name.startsWith(ARTIFACTS_PART_PREFIX)) bad(`has an unknown part '${part.name}'`);
    else {
      try {
        validateArtifactPath(part.name.slice(ARTIFACTS_PART_PREFIX.length));
      } catch {
        bundleError('INVALID_PARAMETER_VALUE', file, `part name '${part.name}' is not a safe relative path.`, part.name);
      }
    }
  }
  if (expected !== manifestOffset) bad('parts do not end where the manifest starts');
  if (databases !== 1) bad(`must have exactly one '${DATABASE_PART}' part`);
}
