import { generateRunId } from '../contracts/id-generator.js';
import { LogbookError } from '../errors.js';
import type { Page } from '../model/common.js';
import { LifecycleStage, RunStatus } from '../model/enums.js';
import type { CreateRunInput, LogBatch, Run, RunInfo, SearchRunsQuery, UpdateRunInput } from '../model/run.js';
import { parseRunOrderBy } from '../search/order-by.js';
import { paginate } from '../search/page-token.js';
import { compareRuns, matchesRunFilter } from '../search/run-evaluator.js';
import { parseRunFilter } from '../search/run-filter.js';
import { appendToArtifactUri } from '../validation/artifact-location.js';
import { validateBatchSize, validateLogBatch } from '../validation/batch.js';
import { RUN_NAME_TAG, validateRunId, validateRunName, validateRunTag } from '../validation/entities.js';
import { validateKey } from '../validation/keys.js';
import { LIMITS } from '../validation/limits.js';
import { checkStringValue, validateMaxResults, validateTimestamp } from '../validation/values.js';
import { invalidParam, notFound } from './memory-errors.js';
import { parseExperimentId, requireActiveExperiment, stagesOf, storedExperiment } from './memory-experiments.js';
import { appendMetrics } from './memory-metrics.js';
import type { MemoryState, StoredRun } from './memory-state.js';

const USER_TAG = 'mlflow.user';
const STATUSES = new Set<string>(Object.values(RunStatus));

/** The run, any lifecycle stage; RESOURCE_DOES_NOT_EXIST when absent. */
export function storedRun(state: MemoryState, runId: string): StoredRun {
  validateRunId(runId);
  return state.runs.get(runId) ?? notFound(`Run with id=${runId} not found`, 'runId');
}

/** INVALID_PARAMETER_VALUE unless the run is active. */
function requireActiveRun(run: StoredRun): void {
  if (run.lifecycleStage !== LifecycleStage.ACTIVE) {
    invalidParam(`The run ${run.runId} must be in the 'active' state. Current state is ${run.lifecycleStage}.`, 'runId');
  }
}

function toRunInfo(r: StoredRun): RunInfo {
  return {
    runId: r.runId,
    experimentId: r.experimentId,
    runName: r.runName,
    userId: r.userId,
    status: r.status,
    startTime: r.startTime,
    ...(r.endTime === undefined ? {} : { endTime: r.endTime }),
    artifactUri: r.artifactUri,
    lifecycleStage: r.lifecycleStage,
  };
}

/** A detached copy: info, latest point per metric key (by key), params, tags. */
export function toRun(r: StoredRun): Run {
  const metrics = [...r.latest.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return { info: toRunInfo(r), data: { metrics, params: Object.fromEntries(r.params), tags: Object.fromEntries(r.tags) } };
}

/** Upserts one run tag; `mlflow.runName` renames the run too. */
function upsertRunTag(run: StoredRun, key: string, value: string): void {
  run.tags.set(key, value);
  if (key === RUN_NAME_TAG) run.runName = value;
}

/** `createRun`: a RUNNING run with id uuid4 hex and the `mlflow.runName` tag. */
export function createRun(state: MemoryState, input: CreateRunInput): Run {
  const tags = Object.entries(input.tags ?? {}).map(([key, value], i): [string, string] => {
    validateKey('tag', key, `tags[${i}].key`);
    validateRunTag(key, value, `tags[${i}].value`);
    return [key, checkStringValue('tag', key, value, state.options.longValues, `tags[${i}].value`)];
  });
  if (input.runName !== undefined) validateRunName(input.runName);
  const tagName = input.tags?.[RUN_NAME_TAG];
  if (input.runName && tagName && input.runName !== tagName) {
    invalidParam(`Both 'run_name' argument and '${RUN_NAME_TAG}' tag are specified, but with different values (run_name='${input.runName}', ${RUN_NAME_TAG}='${tagName}').`, 'runName');
  }
  const runName = input.runName || tagName || `run-${state.runCount + 1}`;
  validateRunName(runName);
  if (input.startTime !== undefined) validateTimestamp(input.startTime, 'startTime');
  if (!tagName) tags.push([RUN_NAME_TAG, runName]);
  const experiment = storedExperiment(state, input.experimentId);
  requireActiveExperiment(experiment);
  const runId = generateRunId(state.options.newId);
  if (state.runs.has(runId)) throw new LogbookError('RESOURCE_ALREADY_EXISTS', `[memory] The id generator returned ${runId}, the id of an existing run.`, { field: 'ID_GENERATOR' });
  const run: StoredRun = {
    runId,
    experimentId: experiment.experimentId,
    runName,
    userId: input.userId ?? input.tags?.[USER_TAG] ?? 'unknown',
    status: RunStatus.RUNNING,
    startTime: input.startTime ?? state.options.now(),
    lifecycleStage: LifecycleStage.ACTIVE,
    artifactUri: appendToArtifactUri(experiment.artifactLocation, [runId, 'artifacts'], 'artifactLocation'),
    params: new Map(),
    tags: new Map(),
    history: [],
    pointIds: new Set(),
    latest: new Map(),
  };
  for (const [key, value] of tags) upsertRunTag(run, key, value);
  state.runs.set(runId, run);
  state.runCount++;
  return toRun(run);
}

/** `updateRun`: status, end time and name; the run must be active. */
export function updateRun(state: MemoryState, runId: string, update: UpdateRunInput): RunInfo {
  if (update.status !== undefined && !STATUSES.has(update.status)) invalidParam(`Invalid run status '${String(update.status)}'.`, 'status');
  if (update.endTime !== undefined) validateTimestamp(update.endTime, 'endTime');
  if (update.runName !== undefined) validateRunName(update.runName);
  const run = storedRun(state, runId);
  requireActiveRun(run);
  if (update.status !== undefined) run.status = update.status;
  if (update.endTime !== undefined) run.endTime = update.endTime;
  if (update.runName) upsertRunTag(run, RUN_NAME_TAG, update.runName);
  return toRunInfo(run);
}

/** Soft-deletes or restores a run. */
export function setRunStage(state: MemoryState, runId: string, stage: LifecycleStage): void {
  storedRun(state, runId).lifecycleStage = stage;
}

/** `searchRuns`: runs of the given experiments in the view type, filtered, ordered and paged as MLflow. */
export function searchRuns(state: MemoryState, query: SearchRunsQuery): Page<Run> {
  validateMaxResults(query.maxResults, LIMITS.maxSearchRunsResults);
  const experimentIds = new Set(query.experimentIds.map((id, i) => parseExperimentId(id, `experimentIds[${i}]`)));
  const filter = parseRunFilter(query.filter);
  const order = parseRunOrderBy(query.orderBy);
  const stages = stagesOf(query.viewType);
  const items = [...state.runs.values()]
    .filter((r) => experimentIds.has(r.experimentId) && stages.includes(r.lifecycleStage))
    .map(toRun)
    .filter((r) => matchesRunFilter(r, filter))
    .sort(compareRuns(order));
  return paginate(items, { ...query, maxResults: query.maxResults ?? LIMITS.defaultSearchRunsResults });
}

/**
 * `logBatch`: validates as MLflow's server does, then writes params (write-once), metrics
 * (duplicates ignored, latest maintained) and tags (last wins); all or nothing.
 */
export function logBatch(state: MemoryState, runId: string, batch: LogBatch): void {
  validateRunId(runId);
  validateBatchSize(batch);
  const valid = validateLogBatch(batch, state.options.longValues);
  const run = storedRun(state, runId);
  requireActiveRun(run);
  const changed = valid.params.flatMap((p, i) => (run.params.has(p.key) && run.params.get(p.key) !== p.value ? [i] : []));
  if (changed.length > 0) {
    const conflicts = changed.map((i) => valid.params[i]!).map((p) => `{'key': '${p.key}', 'old_value': '${run.params.get(p.key)!}', 'new_value': '${p.value}'}`);
    // The field names the first changed param, so a batching caller can drop just that entry.
    invalidParam(`Changing param values is not allowed. Params were already logged='[${conflicts.join(', ')}]' for run ID='${run.runId}'.`, `params[${changed[0]!}].value`);
  }
  for (const p of valid.params) run.params.set(p.key, p.value);
  appendMetrics(run, valid.metrics);
  for (const t of valid.tags) upsertRunTag(run, t.key, t.value);
}

/** `setTag`: upsert; `mlflow.runName` renames the run. */
export function setTag(state: MemoryState, runId: string, key: string, value: string): void {
  validateRunId(runId);
  validateKey('tag', key, 'key');
  validateRunTag(key, value, 'value');
  const stored = checkStringValue('tag', key, value, state.options.longValues, 'value');
  const run = storedRun(state, runId);
  requireActiveRun(run);
  upsertRunTag(run, key, stored);
}

/** `deleteTag`: RESOURCE_DOES_NOT_EXIST when absent. */
export function deleteTag(state: MemoryState, runId: string, key: string): void {
  const run = storedRun(state, runId);
  requireActiveRun(run);
  if (!run.tags.delete(key)) notFound(`No tag with name: ${key} in run with id ${runId}`, 'key');
}
