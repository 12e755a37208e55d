import { DEPLOYMENTS_EXPERIMENT, DEPLOYMENT_TAGS, PARENT_VERSION_TAG, SEMVER_TAG } from '@logbook/core';
import type { ModelVersion, Run } from '@logbook/core';
import { filterString } from '@logbook/core/spi';
import type { RegistryStore, TrackingStore } from '@logbook/core/spi';
import { readSeries } from './read-series.js';
import type { ReportDeployment, ReportModel, ReportModelVersion } from './types.js';

/** Limits of {@link collectModels}. */
interface ModelLimits {
  /** Points kept per live series. */
  readonly pointsPerSeries: number;
  readonly historyPageSize: number;
}

async function allPages<T>(read: (pageToken: string | undefined) => Promise<{ items: readonly T[]; nextPageToken?: string }>): Promise<T[]> {
  const all: T[] = [];
  let pageToken: string | undefined;
  do {
    const page = await read(pageToken);
    all.push(...page.items);
    pageToken = page.nextPageToken;
  } while (pageToken !== undefined);
  return all;
}

function toVersion(mv: ModelVersion, runIds: ReadonlySet<string>): ReportModelVersion {
  const semver = mv.tags[SEMVER_TAG];
  const parent = mv.tags[PARENT_VERSION_TAG];
  return {
    version: mv.version,
    stage: mv.currentStage,
    aliases: [...mv.aliases],
    ...(semver === undefined ? {} : { semver }),
    ...(parent === undefined ? {} : { parentVersion: parent }),
    ...(mv.runId === undefined || mv.runId === '' ? {} : { runId: mv.runId }),
    inReport: mv.runId !== undefined && runIds.has(mv.runId),
    createdAt: mv.creationTimestamp,
  };
}

async function toDeployment(tracking: TrackingStore, run: Run, limits: ModelLimits): Promise<ReportDeployment> {
  const tags = run.data.tags;
  const live: Record<string, ReportDeployment['live'][string]> = {};
  for (const key of [...new Set(run.data.metrics.map((m) => m.key))].sort()) {
    live[key] = await readSeries(tracking, run.info.runId, key, limits.pointsPerSeries, limits.historyPageSize);
  }
  const semver = tags[DEPLOYMENT_TAGS.semver];
  return {
    runId: run.info.runId,
    version: tags[DEPLOYMENT_TAGS.version] ?? '',
    ...(semver === undefined ? {} : { semver }),
    environment: tags[DEPLOYMENT_TAGS.environment] ?? '',
    status: tags[DEPLOYMENT_TAGS.status] ?? '',
    kind: tags[DEPLOYMENT_TAGS.kind] ?? 'deploy',
    by: tags[DEPLOYMENT_TAGS.by] ?? '',
    at: run.info.startTime,
    live,
  };
}

/**
 * The registered models with a version whose source run is one of `runIds`: every version of each
 * (stage, aliases, semver, parent), and its deployment events from `logbook/deployments` with the
 * live metric histories logged on them (downsampled like the run curves).
 */
export async function collectModels(tracking: TrackingStore, registry: RegistryStore, runIds: readonly string[], limits: ModelLimits): Promise<ReportModel[]> {
  const inReport = new Set(runIds);
  const names = new Set<string>();
  for (const runId of runIds) {
    const versions = await allPages((pageToken) => registry.searchModelVersions({ filter: `run_id = ${filterString(runId)}`, maxResults: 1000, ...(pageToken === undefined ? {} : { pageToken }) }));
    for (const mv of versions) names.add(mv.name);
  }
  if (names.size === 0) return [];
  const deploymentsExperiment = await tracking.getExperimentByName(DEPLOYMENTS_EXPERIMENT);
  const models: ReportModel[] = [];
  for (const name of [...names].sort()) {
    const versions = await allPages((pageToken) => registry.searchModelVersions({ filter: `name = ${filterString(name)}`, maxResults: 1000, ...(pageToken === undefined ? {} : { pageToken }) }));
    versions.sort((a, b) => Number(a.version) - Number(b.version));
    const events =
      deploymentsExperiment === undefined
        ? []
        : await allPages((pageToken) =>
            tracking.searchRuns({
              experimentIds: [deploymentsExperiment.experimentId],
              filter: `tags.\`${DEPLOYMENT_TAGS.model}\` = ${filterString(name)}`,
              maxResults: 1000,
              ...(pageToken === undefined ? {} : { pageToken }),
            }),
          );
    events.sort((a, b) => a.info.startTime - b.info.startTime || a.info.runId.localeCompare(b.info.runId));
    const deployments: ReportDeployment[] = [];
    for (const run of events) deployments.push(await toDeployment(tracking, run, limits));
    models.push({ name, versions: versions.map((mv) => toVersion(mv, inReport)), deployments });
  }
  return models;
}
