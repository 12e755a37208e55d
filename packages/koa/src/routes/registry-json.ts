import type { CodeVersion, DatasetRef, Deployment, LineageEntry, LiveMetricsReport, ModelAlert, ModelVersionComparison, VersionSide } from '@logbook/core';
import { metricValue, modelVersionJson } from './serialize.js';

// Wire forms (snake_case, as the rest of the API) of core's versioning results. Keys that are
// user data (metric names, environments) are kept as they are.

const numbers = (m: Readonly<Record<string, number>>) => Object.fromEntries(Object.entries(m).map(([k, v]) => [k, metricValue(v)]));
const codeJson = (c: CodeVersion | undefined) => (c === undefined ? {} : { code: { commit: c.commit, dirty: c.dirty } });
const datasetsJson = (d: readonly DatasetRef[]) => d.map((s) => ({ name: s.name, digest: s.digest, source: s.source }));

export function lineageEntryJson(e: LineageEntry) {
  return {
    model_version: modelVersionJson(e.version),
    datasets: datasetsJson(e.datasets),
    ...codeJson(e.code),
    ...(e.semver !== undefined && { semver: e.semver }),
    ...(e.parentVersion !== undefined && { parent_version: e.parentVersion }),
    ...(e.runId !== undefined && { run_id: e.runId }),
    ...(e.registeredBy !== undefined && { registered_by: e.registeredBy }),
  };
}

export function deploymentJson(d: Deployment) {
  return {
    id: d.id,
    model_name: d.modelName,
    version: d.version,
    ...(d.semver !== undefined && { semver: d.semver }),
    environment: d.environment,
    status: d.status,
    by: d.by,
    ...(d.url !== undefined && { url: d.url }),
    kind: d.kind,
    replaced: [...d.replaced],
    at: d.at,
    live_metrics: numbers(d.liveMetrics),
  };
}

function sideJson(s: VersionSide) {
  return {
    version: s.version,
    stage: s.stage,
    aliases: [...s.aliases],
    datasets: datasetsJson(s.datasets),
    lineage: [...s.lineage],
    live: Object.fromEntries(Object.entries(s.live).map(([env, m]) => [env, numbers(m)])),
    ...codeJson(s.code),
    ...(s.semver !== undefined && { semver: s.semver }),
    ...(s.sha256 !== undefined && { sha256: s.sha256 }),
    ...(s.size !== undefined && { size: s.size }),
    ...(s.runId !== undefined && { run_id: s.runId }),
    ...(s.parentVersion !== undefined && { parent_version: s.parentVersion }),
  };
}

export function comparisonJson(c: ModelVersionComparison) {
  return {
    model_name: c.modelName,
    v1: sideJson(c.v1),
    v2: sideJson(c.v2),
    metrics: c.metrics.map((m) => ({
      key: m.key,
      ...(m.v1 !== undefined && { v1: metricValue(m.v1) }),
      ...(m.v2 !== undefined && { v2: metricValue(m.v2) }),
      ...(m.delta !== undefined && { delta: metricValue(m.delta) }),
    })),
    params: c.params.map((p) => ({ key: p.key, ...(p.v1 !== undefined && { v1: p.v1 }), ...(p.v2 !== undefined && { v2: p.v2 }) })),
    same_bytes: c.sameBytes,
    ...(c.sizeDelta !== undefined && { size_delta: c.sizeDelta }),
    ...(c.commonAncestor !== undefined && { common_ancestor: c.commonAncestor }),
  };
}

export function alertJson(a: ModelAlert) {
  return {
    kind: a.kind,
    model_name: a.modelName,
    version: a.version,
    ...(a.semver !== undefined && { semver: a.semver }),
    environment: a.environment,
    deployment_id: a.deploymentId,
    at: a.at,
    metrics: a.metrics.map((m) => ({ key: m.key, baseline: metricValue(m.baseline), live: metricValue(m.live), degradation: metricValue(m.degradation), threshold: m.threshold })),
  };
}

export function liveReportJson(r: LiveMetricsReport) {
  return {
    deployment: deploymentJson(r.deployment),
    checks: r.checks.map((c) => ({
      key: c.key,
      live: metricValue(c.live),
      degraded: c.degraded,
      ...(c.baseline !== undefined && { baseline: metricValue(c.baseline) }),
      ...(c.degradation !== undefined && { degradation: metricValue(c.degradation) }),
    })),
    ...(r.alert !== undefined && { alert: alertJson(r.alert) }),
  };
}
