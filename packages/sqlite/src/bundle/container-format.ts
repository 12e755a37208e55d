/**
 * The `.lbk` container: one file a bundle travels in. Layout (all integers big-endian):
 *
 * ```
 * header   24 bytes  "LOGBOOK-BUNDLE\n\0" (16) | format version u32 | reserved u32 (0)
 * parts    the bytes of every part, back to back, in manifest order
 * manifest UTF-8 JSON (BundleManifest: names, offsets, sizes, SHA-256 of every part)
 * trailer  64 bytes  manifest offset u64 | manifest length u64 | SHA-256 of the manifest (32) | "LOGBOOK-BNDL-END" (16)
 * ```
 *
 * The header says the format version before anything else is read, so a newer format is refused
 * as such; the trailer is written last, so a truncated copy has no valid trailer; every byte
 * after the header is covered by a hash (parts by the manifest, the manifest by the trailer).
 */
export const HEADER_MAGIC = Buffer.from('LOGBOOK-BUNDLE\n\0', 'latin1');
export const TRAILER_MAGIC = Buffer.from('LOGBOOK-BNDL-END', 'latin1');
export const HEADER_SIZE = 24;
export const TRAILER_SIZE = 64;
/** The container and manifest format this version writes and the newest it reads. */
export const BUNDLE_FORMAT_VERSION = 1;
/** Name of the entities database inside a bundle. */
export const DATABASE_PART = 'logbook.db';
/** Folder of the artifact parts: `artifacts/<run uuid>/<artifact path>`. */
export const ARTIFACTS_PART_PREFIX = 'artifacts/';
/** Read and copy buffer size: memory stays bounded whatever the size of a part. */
export const CHUNK_SIZE = 1 << 20;

/** The 24-byte header of a container of `formatVersion`. */
export function encodeHeader(formatVersion: number): Buffer {
  const header = Buffer.alloc(HEADER_SIZE);
  HEADER_MAGIC.copy(header, 0);
  header.writeUInt32BE(formatVersion, 16);
  return header;
}

/** The 64-byte trailer pointing at the manifest. */
export function encodeTrailer(manifestOffset: number, manifestLength: number, manifestSha256: Buffer): Buffer {
  const trailer = Buffer.alloc(TRAILER_SIZE);
  trailer.writeBigUInt64BE(BigInt(manifestOffset), 0);
  trailer.writeBigUInt64BE(BigInt(manifestLength), 8);
  manifestSha256.copy(trailer, 16);
  TRAILER_MAGIC.copy(trailer, 48);
  return trailer;
}

/** The fields of a trailer, or `undefined` when its magic is missing (truncated or not a bundle). */
export function decodeTrailer(trailer: Buffer): { readonly offset: number; readonly length: number; readonly sha256: string } | undefined {
  if (trailer.length !== TRAILER_SIZE || !trailer.subarray(48).equals(TRAILER_MAGIC)) return undefined;
  return {
    offset: Number(trailer.readBigUInt64BE(0)),
    length: Number(trailer.readBigUInt64BE(8)),
    sha256: trailer.subarray(16, 48).toString('hex'),
  };
}
