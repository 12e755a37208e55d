/**
 * User metadata Logbook writes on each object (sent as `x-amz-meta-logbook-*`; S3 returns the keys
 * lower-cased). Objects written by other tools carry none of them and are served as they are.
 */
export const META = {
  /** Hex SHA-256 of the original (uncompressed) bytes. */
  sha256: 'logbook-sha256',
  /** Byte count of the original (uncompressed) bytes. */
  size: 'logbook-size',
  /** `gzip` when the stored bytes are gzip-compressed. */
  compression: 'logbook-compression',
} as const;

/** What Logbook recorded about an object, read back from its metadata. */
export interface ArtifactMetadata {
  readonly sha256?: string;
  readonly size?: number;
  readonly gzip: boolean;
}

/** Reads Logbook's metadata off a Head/GetObject response (`Metadata` keys are lower-case). */
export function readMetadata(metadata: Record<string, string> | undefined): ArtifactMetadata {
  const sha256 = metadata?.[META.sha256];
  const size = metadata?.[META.size];
  const parsedSize = size === undefined ? undefined : Number(size);
  return {
    ...(sha256 !== undefined && /^[0-9a-f]{64}$/.test(sha256) ? { sha256 } : {}),
    ...(parsedSize !== undefined && Number.isSafeInteger(parsedSize) && parsedSize >= 0 ? { size: parsedSize } : {}),
    gzip: metadata?.[META.compression] === 'gzip',
  };
}

/** Builds the metadata map of an upload. */
export function writeMetadata(values: { sha256?: string; size?: number; gzip: boolean }): Record<string, string> {
  const out: Record<string, string> = {};
  if (values.sha256 !== undefined) out[META.sha256] = values.sha256;
  if (values.size !== undefined) out[META.size] = String(values.size);
  if (values.gzip) out[META.compression] = 'gzip';
  return out;
}
