import type { ModelVersion } from '../../model/registry.js';
import type { Run } from '../../model/run.js';
import type { Deployment } from './deployments.js';
import { codeVersionOf, datasetsOf } from './lineage.js';
import type { CodeVersion, DatasetRef } from './lineage.js';
import { PARENT_VERSION_TAG, SEMVER_TAG, SHA256_TAG, SIZE_TAG } from './tags.js';

/** One side of a {@link ModelVersionComparison}. */
export interface VersionSide {
  readonly version: string;
  readonly semver?: string;
  readonly stage: string;
  readonly aliases: readonly string[];
  readonly sha256?: string;
  readonly size?: number;
  readonly runId?: string;
  readonly parentVersion?: string;
  readonly code?: CodeVersion;
  readonly datasets: readonly DatasetRef[];
  /** Version numbers from this one back through its parents. */
  readonly lineage: readonly string[];
  /** Latest live metrics per environment where it is or was deployed. */
  readonly live: Readonly<Record<string, Readonly<Record<string, number>>>>;
}

/** What {@link ModelVersioning.compareModelVersions} returns. */
export interface ModelVersionComparison {
  readonly modelName: string;
  readonly v1: VersionSide;
  readonly v2: VersionSide;
  /** Every metric of either source run: latest values and `v2 - v1`. */
  readonly metrics: readonly { readonly key: string; readonly v1?: number; readonly v2?: number; readonly delta?: number }[];
  /** Params whose values differ (or are set on one side only). */
  readonly params: readonly { readonly key: string; readonly v1?: string; readonly v2?: string }[];
  readonly sameBytes: boolean;
  /** `v2.size - v1.size` when both are known. */
  readonly sizeDelta?: number;
  /** The newest version both lineages share, if any. */
  readonly commonAncestor?: string;
}

/** Builds one side from the version, its lineage, its source run and its deployments. */
export function versionSide(version: ModelVersion, lineage: readonly string[], deployments: readonly Deployment[]): VersionSide {
  const live: Record<string, Record<string, number>> = {};
  for (const d of deployments) {
    if (live[d.environment] === undefined && Object.keys(d.liveMetrics).length > 0) live[d.environment] = { ...d.liveMetrics };
  }
  const t = version.tags;
  const code = codeVersionOf(t);
  return {
    version: version.version,
    stage: version.currentStage,
    aliases: [...version.aliases].sort(),
    datasets: datasetsOf(t),
    lineage,
    live,
    ...(t[SEMVER_TAG] === undefined ? {} : { semver: t[SEMVER_TAG] }),
    ...(t[SHA256_TAG] === undefined ? {} : { sha256: t[SHA256_TAG] }),
    ...(t[SIZE_TAG] === undefined ? {} : { size: Number(t[SIZE_TAG]) }),
    ...(version.runId === undefined || version.runId === '' ? {} : { runId: version.runId }),
    ...(t[PARENT_VERSION_TAG] === undefined ? {} : { parentVersion: t[PARENT_VERSION_TAG] }),
    ...(code === undefined ? {} : { code }),
  };
}

/** The structured difference of two sides and their source runs (undefined when a version has none). */
export function compareSides(modelName: string, v1: VersionSide, v2: VersionSide, run1: Run | undefined, run2: Run | undefined): ModelVersionComparison {
  const m1 = Object.fromEntries((run1?.data.metrics ?? []).map((m) => [m.key, m.value]));
  const m2 = Object.fromEntries((run2?.data.metrics ?? []).map((m) => [m.key, m.value]));
  const metrics = [...new Set([...Object.keys(m1), ...Object.keys(m2)])].sort().map((key) => ({
    key,
    ...(m1[key] === undefined ? {} : { v1: m1[key] }),
    ...(m2[key] === undefined ? {} : { v2: m2[key] }),
    ...(m1[key] === undefined || m2[key] === undefined ? {} : { delta: m2[key] - m1[key] }),
  }));
  const p1 = run1?.data.params ?? {};
  const p2 = run2?.data.params ?? {};
  const params = [...new Set([...Object.keys(p1), ...Object.keys(p2)])]
    .sort()
    .filter((key) => p1[key] !== p2[key])
    .map((key) => ({ key, ...(p1[key] === undefined ? {} : { v1: p1[key] }), ...(p2[key] === undefined ? {} : { v2: p2[key] }) }));
  const common = v1.lineage.find((v) => v2.lineage.includes(v));
  return {
    modelName,
    v1,
    v2,
    metrics,
    params,
    sameBytes: v1.sha256 !== undefined && v1.sha256 === v2.sha256,
    ...(v1.size === undefined || v2.size === undefined ? {} : { sizeDelta: v2.size - v1.size }),
    ...(common === undefined ? {} : { commonAncestor: common }),
  };
}
