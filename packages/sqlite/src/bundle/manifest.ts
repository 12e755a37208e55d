/** One part of a bundle: where its bytes are in the container and their SHA-256. */
export interface BundlePart {
  /** `logbook.db`, or `artifacts/<run uuid>/<artifact path>`. */
  readonly name: string;
  readonly offset: number;
  readonly size: number;
  /** Lower-case hex. */
  readonly sha256: string;
}

/** How many rows of each kind, and how many artifact files and bytes, a bundle holds. */
export interface BundleCounts {
  readonly experiments: number;
  readonly runs: number;
  readonly params: number;
  readonly tags: number;
  readonly metrics: number;
  readonly registeredModels: number;
  readonly modelVersions: number;
  readonly tombstones: number;
  readonly artifacts: number;
  readonly artifactBytes: number;
}

/** `manifest.json` of a bundle: what it holds and the hash of every part. */
export interface BundleManifest {
  readonly format: 'logbook-bundle';
  readonly formatVersion: number;
  /** Milliseconds since the epoch. */
  readonly createdAt: number;
  /** The station (source database) the bundle was exported from. */
  readonly stationId: string;
  /** Rows with `from < seq <= to` are in the bundle (plus the unchanged parent rows they need). */
  readonly seq: { readonly from: number; readonly to: number };
  readonly mode: 'all' | 'since-last-export';
  /** Only these experiments, when the export was limited to some. */
  readonly experimentNames?: readonly string[];
  readonly counts: BundleCounts;
  readonly parts: readonly BundlePart[];
}
