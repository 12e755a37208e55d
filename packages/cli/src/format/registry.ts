import { SEMVER_TAG, SHA256_TAG, SIZE_TAG } from '@logbook/core';
import type { Deployment, LiveMetricsReport, ModelVersion, ModelVersionComparison, VersionSide } from '@logbook/core';
import type { VersionDetails } from '../commands/models-show.js';
import { renderSection, renderTable } from './table.js';
import { formatText } from './text.js';
import { formatNumber, formatTime } from './values.js';

// Loaded by the `logbook models` commands when their action runs (it needs @logbook/core).

/** `Version 3 (1.2.0) of model 'unet' is now in Production.` */
export function renderMoved(v: ModelVersion, verb: string): string {
  const semver = v.tags[SEMVER_TAG];
  return `Version ${v.version}${semver === undefined ? '' : ` (${semver})`} of model '${v.name}' ${verb} ${v.currentStage}.\n`;
}

/** `models show`: the version's fields, its tags, and its lineage back through its parents. */
export function renderVersionDetails(d: VersionDetails): string {
  const v = d.version;
  const own = d.lineage[0];
  const fields: [string, string][] = [
    ['model', v.name],
    ['version', v.version],
    ['semver', v.tags[SEMVER_TAG] ?? '-'],
    ['stage', v.currentStage],
    ['aliases', v.aliases.join(', ') || '-'],
    ['sha256', v.tags[SHA256_TAG] ?? '-'],
    ['size', v.tags[SIZE_TAG] === undefined ? '-' : `${v.tags[SIZE_TAG]} B`],
    ['run id', v.runId ?? '-'],
    ['source', formatText(v.source, 120)],
    ['created', formatTime(v.creationTimestamp)],
    ['description', formatText(v.description, 120)],
    ['registered by', own?.registeredBy ?? '-'],
    ['code', own?.code === undefined ? '-' : `${own.code.commit}${own.code.dirty ? ' (dirty)' : ''}`],
    ['datasets', own === undefined || own.datasets.length === 0 ? '-' : own.datasets.map((s) => `${s.name}@${s.digest}`).join(', ')],
  ];
  const lineage = renderTable(
    ['LINEAGE', 'SEMVER', 'RUN ID', 'CODE', 'REGISTERED BY'],
    d.lineage.map((e) => [e.version.version, e.semver ?? '-', e.runId ?? '-', e.code?.commit.slice(0, 12) ?? '-', e.registeredBy ?? '-']),
  );
  return [renderSection(`Model version`, fields), lineage].join('\n');
}

/** `models compare`: both sides, then metrics with deltas and the params that differ. */
export function renderVersionComparison(c: ModelVersionComparison): string {
  const side = (s: VersionSide): string[] => [
    s.version,
    s.semver ?? '-',
    s.stage,
    s.aliases.join(', ') || '-',
    s.sha256?.slice(0, 16) ?? '-',
    s.size === undefined ? '-' : String(s.size),
    s.runId ?? '-',
    s.lineage.join(' < '),
    Object.entries(s.live)
      .map(
        ([env, m]) =>
          `${env}: ${Object.entries(m)
            .map(([k, x]) => `${k}=${formatNumber(x)}`)
            .join(' ')}`,
      )
      .join('; ') || '-',
  ];
  const parts = [
    renderTable(
      ['', 'VERSION', 'SEMVER', 'STAGE', 'ALIASES', 'SHA-256', 'SIZE', 'RUN ID', 'LINEAGE', 'LIVE'],
      [
        ['v1', ...side(c.v1)],
        ['v2', ...side(c.v2)],
      ],
    ),
    `Same bytes: ${c.sameBytes ? 'yes' : 'no'}; size delta: ${c.sizeDelta === undefined ? '-' : `${c.sizeDelta} B`}; common ancestor: ${c.commonAncestor ?? '-'}\n`,
    c.metrics.length === 0
      ? 'Metrics: (none)\n'
      : renderTable(
          ['METRIC', 'V1', 'V2', 'DELTA'],
          c.metrics.map((m) => [m.key, formatNumber(m.v1), formatNumber(m.v2), formatNumber(m.delta)]),
        ),
    c.params.length === 0
      ? 'Params that differ: (none)\n'
      : renderTable(
          ['PARAM', 'V1', 'V2'],
          c.params.map((p) => [p.key, formatText(p.v1, 40), formatText(p.v2, 40)]),
        ),
  ];
  return parts.join('\n');
}

/** `models deploy`: the event recorded. */
export function renderDeployment(d: Deployment): string {
  return `Recorded: model '${d.modelName}' version ${d.version}${d.semver === undefined ? '' : ` (${d.semver})`} ${d.status} in ${d.environment} by ${d.by} (deployment run ${d.id}).\n`;
}

/** The live deployment per environment, with its latest live metrics. */
export function renderLive(live: Readonly<Record<string, Deployment>>): string {
  const entries = Object.entries(live);
  if (entries.length === 0) return 'No version is live in any environment.\n';
  return renderTable(
    ['ENVIRONMENT', 'VERSION', 'SEMVER', 'SINCE', 'BY', 'LIVE METRICS'],
    entries.map(([env, d]) => [
      env,
      d.version,
      d.semver ?? '-',
      formatTime(d.at),
      d.by,
      Object.entries(d.liveMetrics)
        .map(([k, x]) => `${k}=${formatNumber(x)}`)
        .join(' ') || '-',
    ]),
  );
}

/** The checks of `models monitor --metric`, and the alert when one was raised. */
export function renderReport(r: LiveMetricsReport): string {
  const table = renderTable(
    ['METRIC', 'LIVE', 'BASELINE', 'DEGRADATION', 'DEGRADED'],
    r.checks.map((c) => [c.key, formatNumber(c.live), formatNumber(c.baseline), c.degradation === undefined ? '-' : `${(c.degradation * 100).toFixed(1)} %`, c.degraded ? 'YES' : 'no']),
  );
  const d = r.deployment;
  const verdict =
    r.alert === undefined
      ? `No metric degraded past its threshold.\n`
      : `ALERT: version ${r.alert.version} of model '${r.alert.modelName}' degraded in ${r.alert.environment}: ${r.alert.metrics.map((m) => m.key).join(', ')}.\n`;
  return `Logged on deployment run ${d.id} (version ${d.version} in ${d.environment}).\n${table}${verdict}`;
}
