import { BundleReader } from './bundle-reader.js';
import type { BundleManifest } from './manifest.js';

/**
 * Checks a bundle without importing anything: the header (a Logbook bundle of a format this
 * version reads), the trailer (not truncated), the manifest's hash and shape, and the SHA-256 of
 * every part. Resolves with the manifest; rejects with a `LogbookError`: `DATA_LOSS` (truncated
 * or altered), `SCHEMA_TOO_NEW` (newer format) or `INVALID_PARAMETER_VALUE` (not a bundle).
 *
 * @example
 * ```ts
 * const manifest = await verifyBundle('/media/usb/station-7.lbk');
 * ```
 */
export async function verifyBundle(file: string): Promise<BundleManifest> {
  const reader = await BundleReader.open(file);
  try {
    await reader.verify();
    return reader.manifest;
  } finally {
    await reader.close();
  }
}
