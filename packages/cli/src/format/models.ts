import { SEMVER_TAG } from '@logbook/core';
import type { ModelVersion, RegisteredModel } from '@logbook/core';
import { renderTable } from './table.js';
import { formatText } from './text.js';
import { formatTime } from './values.js';

// Loaded by `logbook models` when its action runs (it needs @logbook/core), never at start-up.

/** One row per registered model: latest version per stage, aliases, last update. */
export function renderModels(models: readonly RegisteredModel[]): string {
  if (models.length === 0) return 'No registered models.\n';
  return renderTable(
    ['NAME', 'LATEST VERSIONS', 'ALIASES', 'UPDATED'],
    models.map((m) => [
      m.name,
      m.latestVersions.map((v) => `${v.version} (${v.currentStage})`).join(', ') || '-',
      Object.entries(m.aliases)
        .map(([alias, v]) => `${alias}=${v}`)
        .join(', ') || '-',
      formatTime(m.lastUpdatedTimestamp),
    ]),
  );
}

/** Every version of a model, newest first: stage, semver tag, run, aliases, source. */
export function renderVersions(versions: readonly ModelVersion[]): string {
  if (versions.length === 0) return 'No versions.\n';
  const sorted = [...versions].sort((a, b) => Number(b.version) - Number(a.version));
  return renderTable(
    ['VERSION', 'STAGE', 'SEMVER', 'RUN ID', 'CREATED', 'ALIASES', 'SOURCE'],
    sorted.map((v) => [v.version, v.currentStage, v.tags[SEMVER_TAG] ?? '-', v.runId ?? '-', formatTime(v.creationTimestamp), v.aliases.join(', ') || '-', formatText(v.source)]),
  );
}
