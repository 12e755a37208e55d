import { LogbookError, RunStatus, ViewType, isLogbookError } from '@logbook/core';
import type { Metric } from '@logbook/core';
import type { MlflowRoute } from './route.js';
import { keyValues, optInt, optStr, reqDouble, reqInt, reqStr, searchFields, strList, tagsOf } from './request.js';
import type { Params } from './request.js';
import { wireExperiment, wireMetric, wirePage, wireRun, wireRunInfo } from './wire.js';

const EMPTY = {};

function viewType(p: Params, key: string): ViewType | undefined {
  const value = optStr(p, key) ?? (typeof p[key] === 'number' ? String(p[key]) : undefined);
  if (value === undefined) return undefined;
  const byNumber: Record<string, ViewType> = { 1: ViewType.ACTIVE_ONLY, 2: ViewType.DELETED_ONLY, 3: ViewType.ALL };
  const view = byNumber[value] ?? (Object.values(ViewType) as string[]).find((v) => v === value.toUpperCase());
  if (view === undefined) throw new LogbookError('INVALID_PARAMETER_VALUE', `[koa] Invalid value '${value}' for parameter '${key}'.`, { field: key });
  return view as ViewType;
}

function runStatus(p: Params): RunStatus | undefined {
  const raw = p.status;
  if (raw === undefined || raw === null) return undefined;
  const byNumber: Record<string, RunStatus> = { 1: RunStatus.RUNNING, 2: RunStatus.SCHEDULED, 3: RunStatus.FINISHED, 4: RunStatus.FAILED, 5: RunStatus.KILLED };
  const status = byNumber[String(raw)] ?? (Object.values(RunStatus) as string[]).find((s) => s === raw);
  if (status === undefined) throw new LogbookError('INVALID_PARAMETER_VALUE', `[koa] Invalid value ${JSON.stringify(raw)} for parameter 'status' supplied.`, { field: 'status' });
  return status as RunStatus;
}

function metricOf(p: Params): Metric {
  return { key: reqStr(p, 'key'), value: reqDouble(p, 'value'), timestamp: reqInt(p, 'timestamp'), step: optInt(p, 'step') ?? 0 };
}

function metricList(p: Params): Metric[] {
  const list = p.metrics;
  if (list === undefined || list === null) return [];
  if (!Array.isArray(list)) throw new LogbookError('INVALID_PARAMETER_VALUE', "[koa] Invalid value for parameter 'metrics' supplied.", { field: 'metrics' });
  return list.map((m) => metricOf((typeof m === 'object' && m !== null ? m : {}) as Params));
}

const runIdOf = (p: Params): string => reqStr(p, 'run_id', 'run_uuid');

/** `/experiments/*`: create, get, get-by-name, search, update, delete, restore, tags. */
export const experimentRoutes: readonly MlflowRoute[] = [
  {
    methods: ['POST'],
    path: '/experiments/create',
    handler: async (p, { tracking, locations }) => {
      const location = optStr(p, 'artifact_location');
      const tags = tagsOf(p);
      const id = await tracking.createExperiment({
        name: reqStr(p, 'name'),
        ...(location !== undefined && location !== '' && { artifactLocation: locations.toStore(location) }),
        ...(Object.keys(tags).length > 0 && { tags }),
      });
      return { experiment_id: id };
    },
  },
  {
    methods: ['GET'],
    path: '/experiments/get',
    handler: async (p, { tracking, locations }) => ({ experiment: wireExperiment(await tracking.getExperiment(reqStr(p, 'experiment_id')), locations) }),
  },
  {
    methods: ['GET'],
    path: '/experiments/get-by-name',
    handler: async (p, { tracking, locations }) => {
      const name = reqStr(p, 'experiment_name');
      const experiment = await tracking.getExperimentByName(name);
      if (experiment === undefined) throw new LogbookError('RESOURCE_DOES_NOT_EXIST', `[koa] Could not find experiment with name '${name}'.`);
      return { experiment: wireExperiment(experiment, locations) };
    },
  },
  {
    methods: ['GET', 'POST'],
    path: '/experiments/search',
    handler: async (p, { tracking, locations }) => {
      const view = viewType(p, 'view_type');
      const page = await tracking.searchExperiments({ ...searchFields(p, 1000), ...(view !== undefined && { viewType: view }) });
      return wirePage(page, 'experiments', (e) => wireExperiment(e, locations));
    },
  },
  {
    methods: ['POST'],
    path: '/experiments/update',
    handler: async (p, { tracking }) => {
      await tracking.renameExperiment(reqStr(p, 'experiment_id'), reqStr(p, 'new_name'));
      return EMPTY;
    },
  },
  {
    methods: ['POST'],
    path: '/experiments/delete',
    handler: async (p, { tracking }) => {
      await tracking.deleteExperiment(reqStr(p, 'experiment_id'));
      return EMPTY;
    },
  },
  {
    methods: ['POST'],
    path: '/experiments/restore',
    handler: async (p, { tracking }) => {
      await tracking.restoreExperiment(reqStr(p, 'experiment_id'));
      return EMPTY;
    },
  },
  {
    methods: ['POST'],
    path: '/experiments/set-experiment-tag',
    handler: async (p, { tracking }) => {
      await tracking.setExperimentTag(reqStr(p, 'experiment_id'), reqStr(p, 'key'), optStr(p, 'value') ?? '');
      return EMPTY;
    },
  },
  {
    methods: ['POST'],
    path: '/experiments/delete-experiment-tag',
    handler: async (p, { tracking }) => {
      await tracking.deleteExperimentTag(reqStr(p, 'experiment_id'), reqStr(p, 'key'));
      return EMPTY;
    },
  },
];

/** `/runs/*` and `/metrics/get-history`. */
export const runRoutes: readonly MlflowRoute[] = [
  {
    methods: ['POST'],
    path: '/runs/create',
    handler: async (p, { tracking, locations }) => {
      const runName = optStr(p, 'run_name');
      const userId = optStr(p, 'user_id');
      const tags = tagsOf(p);
      const run = await tracking.createRun({
        experimentId: optStr(p, 'experiment_id') ?? '0',
        startTime: optInt(p, 'start_time') ?? 0,
        ...(runName !== undefined && runName !== '' && { runName }),
        ...(userId !== undefined && { userId }),
        ...(Object.keys(tags).length > 0 && { tags }),
      });
      return { run: wireRun(run, locations) };
    },
  },
  {
    methods: ['GET'],
    path: '/runs/get',
    handler: async (p, { tracking, locations }) => ({ run: wireRun(await tracking.getRun(runIdOf(p)), locations) }),
  },
  {
    methods: ['POST'],
    path: '/runs/update',
    handler: async (p, { tracking, locations }) => {
      const status = runStatus(p);
      const endTime = optInt(p, 'end_time');
      const runName = optStr(p, 'run_name');
      const info = await tracking.updateRun(runIdOf(p), {
        ...(status !== undefined && { status }),
        ...(endTime !== undefined && { endTime }),
        ...(runName !== undefined && runName !== '' && { runName }),
      });
      return { run_info: wireRunInfo(info, locations) };
    },
  },
  {
    methods: ['POST'],
    path: '/runs/delete',
    handler: async (p, { tracking }) => {
      await tracking.deleteRun(reqStr(p, 'run_id'));
      return EMPTY;
    },
  },
  {
    methods: ['POST'],
    path: '/runs/restore',
    handler: async (p, { tracking }) => {
      await tracking.restoreRun(reqStr(p, 'run_id'));
      return EMPTY;
    },
  },
  {
    methods: ['POST'],
    path: '/runs/search',
    handler: async (p, { tracking, locations }) => {
      const view = viewType(p, 'run_view_type');
      const page = await tracking.searchRuns({ experimentIds: strList(p, 'experiment_ids'), ...searchFields(p, 1000), ...(view !== undefined && { viewType: view }) });
      return wirePage(page, 'runs', (r) => wireRun(r, locations));
    },
  },
  {
    methods: ['POST'],
    path: '/runs/log-batch',
    handler: async (p, { tracking }) => {
      await tracking.logBatch(reqStr(p, 'run_id'), { metrics: metricList(p), params: keyValues(p, 'params'), tags: keyValues(p, 'tags') });
      return EMPTY;
    },
  },
  {
    methods: ['POST'],
    path: '/runs/log-metric',
    handler: async (p, { tracking }) => {
      await tracking.logBatch(runIdOf(p), { metrics: [metricOf(p)] });
      return EMPTY;
    },
  },
  {
    methods: ['POST'],
    path: '/runs/log-parameter',
    handler: async (p, { tracking }) => {
      await tracking.logBatch(runIdOf(p), { params: [{ key: reqStr(p, 'key'), value: optStr(p, 'value') ?? '' }] });
      return EMPTY;
    },
  },
  {
    methods: ['POST'],
    path: '/runs/set-tag',
    handler: async (p, { tracking }) => {
      await tracking.setTag(runIdOf(p), reqStr(p, 'key'), optStr(p, 'value') ?? '');
      return EMPTY;
    },
  },
  {
    methods: ['POST'],
    path: '/runs/delete-tag',
    handler: async (p, { tracking }) => {
      await tracking.deleteTag(reqStr(p, 'run_id'), reqStr(p, 'key'));
      return EMPTY;
    },
  },
  {
    // Dataset and model inputs have no place in Logbook's model: the run is checked, nothing is kept.
    methods: ['POST'],
    path: '/runs/log-inputs',
    handler: async (p, { tracking }) => {
      await tracking.getRun(reqStr(p, 'run_id'));
      return EMPTY;
    },
  },
  {
    methods: ['GET'],
    path: '/metrics/get-history',
    handler: async (p, { tracking }) => {
      const pageToken = optStr(p, 'page_token');
      const maxResults = optInt(p, 'max_results');
      const page = await tracking
        .getMetricHistory(runIdOf(p), reqStr(p, 'metric_key'), {
          ...(maxResults !== undefined && maxResults > 0 && { maxResults }),
          ...(pageToken !== undefined && pageToken !== '' && { pageToken }),
        })
        .catch((error: unknown) => {
          // MLflow's server answers the history of a missing run with an empty list, not 404.
          if (isLogbookError(error) && error.code === 'RESOURCE_DOES_NOT_EXIST') return { items: [] };
          throw error;
        });
      return wirePage(page, 'metrics', wireMetric);
    },
  },
];
