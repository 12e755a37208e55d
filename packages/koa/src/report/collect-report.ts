import type { Experiment, Run } from '@logbook/core';
import { STAND_IN_EXPERIMENT_PREFIX } from '@logbook/core/spi';
import type { TrackingStore } from '@logbook/core/spi';
import { DEPLOYMENTS_EXPERIMENT, LogbookError, MODELS_EXPERIMENT } from '@logbook/core';
import { collectModels } from './collect-models.js';
import { readSeries } from './read-series.js';
import type { ReportChart, ReportData, ReportModel, ReportOptions, ReportRun, ReportSelection, ReportSeries } from './types.js';

const PARENT_TAG = 'mlflow.parentRunId';

/**
 * Reads the selected runs from any backend's tracking store: params, latest metrics, and each
 * metric's history (paged, downsampled one series at a time so memory stays bounded by one series).
 * With `options.registry`, also the registered models those runs produced and their deployments.
 */
export async function collectReport(store: TrackingStore, selection: ReportSelection, options: ReportOptions = {}): Promise<ReportData> {
  const maxRuns = options.maxRuns ?? 1000;
  const runs = await selectRuns(store, selection, maxRuns);
  const experimentNames = new Map<string, string>();
  for (const run of runs) {
    const id = run.info.experimentId;
    if (!experimentNames.has(id)) experimentNames.set(id, (await store.getExperiment(id)).name);
  }
  const keys = [...new Set(runs.flatMap((r) => r.data.metrics.map((m) => m.key)))].sort();
  const seriesCount = runs.reduce((n, r) => n + r.data.metrics.length, 0);
  const perSeries = Math.max(3, Math.min(options.maxPointsPerSeries ?? 2000, Math.floor((options.maxPointsTotal ?? 300_000) / Math.max(1, seriesCount))));
  const charts: ReportChart[] = [];
  let downsampledSeries = 0;
  for (const key of keys) {
    const series: ReportSeries[] = [];
    for (const run of runs) {
      if (!run.data.metrics.some((m) => m.key === key)) continue;
      const one = await readSeries(store, run.info.runId, key, perSeries, options.historyPageSize ?? 10_000);
      if (one.values.length < one.storedPoints) downsampledSeries++;
      series.push(one);
    }
    charts.push({ key, series });
  }
  let models: ReportModel[] = [];
  let modelsUnavailable: string | undefined;
  if (options.registry !== undefined) {
    const limits = { pointsPerSeries: options.maxPointsPerSeries ?? 2000, historyPageSize: options.historyPageSize ?? 10_000 };
    try {
      models = await collectModels(
        store,
        options.registry,
        runs.map((r) => r.info.runId),
        limits,
      );
    } catch (error) {
      // The runs are still worth showing: a registry switched off or unreachable is said on the page.
      if (!(error instanceof LogbookError)) throw error;
      modelsUnavailable = error.message;
    }
  }
  return {
    ...(modelsUnavailable === undefined ? {} : { modelsUnavailable }),
    generatedAt: options.generatedAt ?? Date.now(),
    selection,
    runs: runs.map((r) => toReportRun(r, experimentNames.get(r.info.experimentId) ?? r.info.experimentId)),
    charts,
    pointsPerSeries: perSeries,
    downsampledSeries,
    models,
  };
}

async function selectRuns(store: TrackingStore, selection: ReportSelection, maxRuns: number): Promise<Run[]> {
  const byId = new Map<string, Run>();
  for (const runId of selection.runIds ?? []) byId.set(runId, await store.getRun(runId));
  const names = selection.experiments ?? [];
  let experiments: Experiment[] = [];
  if (names.length > 0) {
    for (const name of names) {
      const found = await store.getExperimentByName(name);
      if (found === undefined) {
        throw new LogbookError('RESOURCE_DOES_NOT_EXIST', `[koa] No experiment named '${name}'; the report needs existing experiments.`, { field: 'experiments' });
      }
      experiments.push(found);
    }
  } else if ((selection.runIds ?? []).length === 0 || selection.filter !== undefined) {
    // Logbook's own bookkeeping (model bytes, deployment events, spool stand-ins) only when named.
    experiments = (await allExperiments(store)).filter((e) => !isBookkeeping(e.name));
  }
  const experimentIds = experiments.map((e) => e.experimentId);
  let pageToken: string | undefined;
  while (experimentIds.length > 0 && byId.size < maxRuns) {
    const page = await store.searchRuns({
      experimentIds,
      maxResults: Math.min(1000, maxRuns - byId.size),
      ...(selection.filter === undefined ? {} : { filter: selection.filter }),
      ...(pageToken === undefined ? {} : { pageToken }),
    });
    for (const run of page.items) if (!byId.has(run.info.runId)) byId.set(run.info.runId, run);
    pageToken = page.nextPageToken;
    if (pageToken === undefined) break;
  }
  return [...byId.values()].slice(0, maxRuns).sort((a, b) => a.info.startTime - b.info.startTime || a.info.runId.localeCompare(b.info.runId));
}

/** Experiments Logbook creates for itself: their runs hold model bytes, deployment events and spool stand-ins, not training. */
function isBookkeeping(name: string): boolean {
  return name === MODELS_EXPERIMENT || name === DEPLOYMENTS_EXPERIMENT || name.startsWith(STAND_IN_EXPERIMENT_PREFIX);
}

async function allExperiments(store: TrackingStore): Promise<Experiment[]> {
  const all: Experiment[] = [];
  let pageToken: string | undefined;
  do {
    const page = await store.searchExperiments({ maxResults: 1000, ...(pageToken === undefined ? {} : { pageToken }) });
    all.push(...page.items);
    pageToken = page.nextPageToken;
  } while (pageToken !== undefined);
  return all;
}

function toReportRun(run: Run, experimentName: string): ReportRun {
  const parent = run.data.tags[PARENT_TAG];
  return {
    runId: run.info.runId,
    runName: run.info.runName,
    experimentId: run.info.experimentId,
    experimentName,
    status: run.info.status,
    startTime: run.info.startTime,
    ...(run.info.endTime === undefined ? {} : { endTime: run.info.endTime }),
    ...(parent === undefined ? {} : { parentRunId: parent }),
    params: { ...run.data.params },
    latest: Object.fromEntries(run.data.metrics.map((m) => [m.key, m.value])),
  };
}
