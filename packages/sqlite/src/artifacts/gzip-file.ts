import { createReadStream, createWriteStream } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { open, stat } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import type { Readable, Transform } from 'node:stream';

/**
 * How a compressed artifact is stored on disk: an 8-byte signature that no text file starts with
 * (PNG's trick: a high byte, then `\r\n\x1a`), the original size as a big-endian uint64, then the
 * gzip stream. The file keeps its name, so listings and paths are the same either way; reads
 * look at the header, so files written before compression was turned on (or after it was turned
 * off) are read as they are.
 */
export const GZIP_MAGIC = Buffer.from([0x89, 0x4c, 0x42, 0x47, 0x5a, 0x0d, 0x0a, 0x1a]);
/** Signature plus original size. */
export const GZIP_HEADER_BYTES = 16;

/** The original size of a compressed artifact, or undefined for a file stored as it is. */
export async function readGzipHeader(handle: FileHandle): Promise<number | undefined> {
  const header = Buffer.alloc(GZIP_HEADER_BYTES);
  const { bytesRead } = await handle.read(header, 0, GZIP_HEADER_BYTES, 0);
  if (bytesRead < GZIP_HEADER_BYTES || !header.subarray(0, GZIP_MAGIC.length).equals(GZIP_MAGIC)) return undefined;
  return Number(header.readBigUInt64BE(GZIP_MAGIC.length));
}

/** {@link readGzipHeader} of a file by path (for listings). */
export async function gzipSizeOf(path: string): Promise<number | undefined> {
  const handle = await open(path, 'r');
  try {
    return await readGzipHeader(handle);
  } finally {
    await handle.close();
  }
}

/** The header for `size` original bytes. */
export function gzipHeader(size: number): Buffer {
  const header = Buffer.alloc(GZIP_HEADER_BYTES);
  GZIP_MAGIC.copy(header);
  header.writeBigUInt64BE(BigInt(size), GZIP_MAGIC.length);
  return header;
}

/** Writes what `source` (a stream and its transforms) yields gzipped after a header into the new file `path`; the header's size is filled in at the end. */
export async function writeGzipFile(source: readonly [Readable, ...Transform[]], path: string, originalBytes: () => number): Promise<void> {
  const out = createWriteStream(path, { flags: 'wx' });
  out.write(gzipHeader(0));
  await pipeline([...source, createGzip(), out]);
  const handle = await open(path, 'r+');
  try {
    await handle.write(gzipHeader(originalBytes()), 0, GZIP_HEADER_BYTES, 0);
  } finally {
    await handle.close();
  }
}

/**
 * True when a file written as it is starts with the signature: it would read back as a compressed
 * one, so it is stored compressed instead (the header then tells the truth).
 */
export async function startsWithMagic(path: string): Promise<boolean> {
  const handle = await open(path, 'r');
  try {
    const head = Buffer.alloc(GZIP_MAGIC.length);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    return bytesRead === head.length && head.equals(GZIP_MAGIC);
  } finally {
    await handle.close();
  }
}

/** Rewrites the file at `from` compressed into the new file `to`. */
export async function compressFile(from: string, to: string): Promise<void> {
  const { size } = await stat(from);
  await writeGzipFile([createReadStream(from)], to, () => size);
}
