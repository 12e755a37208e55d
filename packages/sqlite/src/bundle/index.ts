export { exportBundle } from './export-bundle.js';
export type { ExportBundleOptions } from './export-bundle.js';
export { verifyBundle } from './verify-bundle.js';
export { openBundle } from './open-bundle.js';
export type { BundleSyncSource, OpenBundleOptions } from './open-bundle.js';
export { BUNDLE_FORMAT_VERSION } from './container-format.js';
export type { BundleManifest, BundlePart, BundleCounts } from './manifest.js';
