import { randomUUID } from 'node:crypto';
import { ViewType, isLogbookError, validateDatasetInputs } from '@logbook/core';
import type { DatasetInput } from '@logbook/core';
import { LIMITS, validateRunName, validateRunTag } from '@logbook/core/spi';
import type { CreateExperimentInput, CreateRunInput, Experiment, LogBatch, Metric, Page, PageRequest, Run, RunInfo, SearchRunsQuery, UpdateRunInput } from '@logbook/core';
import type { SearchExperimentsQuery } from '@logbook/core/spi';
import { chunkLogBatch } from '@logbook/core/spi';
import type { HttpTransport } from './http/transport.js';
import { fromDatasetInput, fromMetric, requireWellFormedJson, toExperiment, toKeyValues, toMetric, toRun, toRunInfo } from './transform.js';
import type { WireExperiment, WireMetric, WireRun, WireRunInfo } from './wire.js';

/** Tag that makes a retried `runs/create` findable, so a lost response never yields two runs. */
export const CLIENT_REQUEST_ID_TAG = 'logbook.clientRequestId';

const API = '/api/2.0/mlflow';
const page = <T>(items: T[], token: string | undefined): Page<T> => (token === undefined || token === '' ? { items } : { items, nextPageToken: token });

/** Removes the request-id tag from a run returned to callers. */
function withoutRequestId(run: Run): Run {
  if (!(CLIENT_REQUEST_ID_TAG in run.data.tags)) return run;
  const { [CLIENT_REQUEST_ID_TAG]: _omit, ...tags } = run.data.tags;
  return { ...run, data: { ...run.data, tags } };
}

/** The TrackingStore half of MlflowStore: one function per MLflow endpoint. */
export class TrackingCalls {
  constructor(protected readonly http: HttpTransport) {}

  async createExperiment(input: CreateExperimentInput): Promise<string> {
    const body = { name: input.name, artifact_location: input.artifactLocation, tags: toKeyValues(input.tags) };
    requireWellFormedJson(body);
    const res = await this.http.call<{ experiment_id: string }>('POST', `${API}/experiments/create`, { json: body });
    return res.experiment_id;
  }

  async getExperiment(experimentId: string): Promise<Experiment> {
    const res = await this.http.call<{ experiment: WireExperiment }>('GET', `${API}/experiments/get`, { query: { experiment_id: experimentId } });
    return toExperiment(res.experiment);
  }

  async getExperimentByName(name: string): Promise<Experiment | undefined> {
    try {
      const res = await this.http.call<{ experiment: WireExperiment }>('GET', `${API}/experiments/get-by-name`, { query: { experiment_name: name } });
      return toExperiment(res.experiment);
    } catch (error) {
      if (isLogbookError(error, 'RESOURCE_DOES_NOT_EXIST')) return undefined;
      throw error;
    }
  }

  async searchExperiments(query: SearchExperimentsQuery = {}): Promise<Page<Experiment>> {
    const body = {
      max_results: query.maxResults ?? LIMITS.defaultSearchExperimentsResults,
      page_token: query.pageToken,
      filter: query.filter,
      order_by: query.orderBy,
      view_type: query.viewType ?? ViewType.ACTIVE_ONLY,
    };
    const res = await this.http.call<{ experiments?: WireExperiment[]; next_page_token?: string }>('POST', `${API}/experiments/search`, { json: body });
    return page((res.experiments ?? []).map(toExperiment), res.next_page_token);
  }

  async renameExperiment(experimentId: string, newName: string): Promise<void> {
    const body = { experiment_id: experimentId, new_name: newName };
    requireWellFormedJson(body);
    await this.http.call('POST', `${API}/experiments/update`, { json: body });
  }

  async deleteExperiment(experimentId: string): Promise<void> {
    await this.http.call('POST', `${API}/experiments/delete`, { json: { experiment_id: experimentId } });
  }

  async restoreExperiment(experimentId: string): Promise<void> {
    await this.http.call('POST', `${API}/experiments/restore`, { json: { experiment_id: experimentId } });
  }

  async setExperimentTag(experimentId: string, key: string, value: string): Promise<void> {
    const body = { experiment_id: experimentId, key, value };
    requireWellFormedJson(body);
    await this.http.call('POST', `${API}/experiments/set-experiment-tag`, { json: body });
  }

  async deleteExperimentTag(experimentId: string, key: string): Promise<void> {
    await this.http.call('POST', `${API}/experiments/delete-experiment-tag`, { json: { experiment_id: experimentId, key } });
  }

  /**
   * `runs/create` with a fresh `logbook.clientRequestId` tag. When an attempt fails in a way that
   * may have created the run (reset connection, 5xx), the experiment is searched for that tag
   * before retrying, and a run found is returned instead of creating a second one.
   */
  async createRun(input: CreateRunInput): Promise<Run> {
    // MLflow's run name column holds 250 characters; past it the server answers an SQL error.
    if (input.runName !== undefined) validateRunName(input.runName);
    for (const [key, value] of Object.entries(input.tags ?? {})) validateRunTag(key, value, `tags.${key}`);
    const requestId = randomUUID();
    const tags = { ...input.tags, [CLIENT_REQUEST_ID_TAG]: requestId };
    const body = {
      experiment_id: input.experimentId,
      user_id: input.userId ?? input.tags?.['mlflow.user'] ?? 'unknown',
      run_name: input.runName,
      start_time: input.startTime ?? Date.now(),
      tags: toKeyValues(tags),
    };
    requireWellFormedJson(body);
    const res = await this.http.call<{ run: WireRun }>('POST', `${API}/runs/create`, {
      json: body,
      beforeAmbiguousRetry: async () => {
        const found = await this.findByRequestId(input.experimentId, requestId);
        return found === undefined ? undefined : { run: found };
      },
    });
    const run = toRun(res.run);
    await this.http.call('POST', `${API}/runs/delete-tag`, { json: { run_id: run.info.runId, key: CLIENT_REQUEST_ID_TAG } }).catch(() => undefined);
    return withoutRequestId(run);
  }

  private async findByRequestId(experimentId: string, requestId: string): Promise<WireRun | undefined> {
    const res = await this.http.call<{ runs?: WireRun[] }>('POST', `${API}/runs/search`, {
      json: { experiment_ids: [experimentId], filter: `tags.\`${CLIENT_REQUEST_ID_TAG}\` = '${requestId}'`, run_view_type: ViewType.ALL, max_results: 1 },
    });
    return res.runs?.[0];
  }

  async getRun(runId: string): Promise<Run> {
    const res = await this.http.call<{ run: WireRun }>('GET', `${API}/runs/get`, { query: { run_id: runId } });
    return withoutRequestId(toRun(res.run));
  }

  async updateRun(runId: string, update: UpdateRunInput): Promise<RunInfo> {
    if (update.runName !== undefined) validateRunName(update.runName);
    const body = { run_id: runId, status: update.status, end_time: update.endTime, run_name: update.runName };
    requireWellFormedJson(body);
    const res = await this.http.call<{ run_info: WireRunInfo }>('POST', `${API}/runs/update`, { json: body });
    return toRunInfo(res.run_info);
  }

  async deleteRun(runId: string): Promise<void> {
    await this.http.call('POST', `${API}/runs/delete`, { json: { run_id: runId } });
  }

  async restoreRun(runId: string): Promise<void> {
    await this.http.call('POST', `${API}/runs/restore`, { json: { run_id: runId } });
  }

  async searchRuns(query: SearchRunsQuery): Promise<Page<Run>> {
    const body = {
      experiment_ids: query.experimentIds,
      filter: query.filter,
      run_view_type: query.viewType ?? ViewType.ACTIVE_ONLY,
      max_results: query.maxResults ?? LIMITS.defaultSearchRunsResults,
      order_by: query.orderBy,
      page_token: query.pageToken,
    };
    const res = await this.http.call<{ runs?: WireRun[]; next_page_token?: string }>('POST', `${API}/runs/search`, { json: body });
    return page(
      (res.runs ?? []).map((r) => withoutRequestId(toRun(r))),
      res.next_page_token,
    );
  }

  /**
   * One `runs/log-batch` request: MLflow's limits apply (1000 metrics, 100 params, 100 tags, 1000
   * in all; the server answers INVALID_PARAMETER_VALUE past them), as for any TrackingStore.
   * {@link logBatchChunked} splits larger batches like the Python client.
   */
  async logBatch(runId: string, batch: LogBatch): Promise<void> {
    (batch.tags ?? []).forEach((t, i) => validateRunTag(t.key, t.value, `tags[${i}].value`));
    const body = { run_id: runId, metrics: (batch.metrics ?? []).map(fromMetric), params: batch.params ?? [], tags: batch.tags ?? [] };
    requireWellFormedJson(body);
    await this.http.call('POST', `${API}/runs/log-batch`, { json: body });
  }

  /**
   * Any number of metrics, params and tags, split by core's chunker (`chunkLogBatch`) as
   * `MlflowClient.log_batch` sends them: params and tags in chunks of 100, each request topped up
   * with metrics to 1000, then metrics 1000 at a time. Not atomic: chunks sent before a failing
   * one stay written.
   */
  async logBatchChunked(runId: string, batch: LogBatch): Promise<void> {
    for (const chunk of chunkLogBatch(batch)) await this.logBatch(runId, chunk);
  }

  async getMetricHistory(runId: string, key: string, request: PageRequest = {}): Promise<Page<Metric>> {
    const query = { run_id: runId, metric_key: key, max_results: request.maxResults ?? LIMITS.defaultMetricHistoryResults, page_token: request.pageToken };
    const res = await this.http.call<{ metrics?: WireMetric[]; next_page_token?: string }>('GET', `${API}/metrics/get-history`, { query });
    return page((res.metrics ?? []).map(toMetric), res.next_page_token);
  }

  async setTag(runId: string, key: string, value: string): Promise<void> {
    validateRunTag(key, value);
    const body = { run_id: runId, key, value };
    requireWellFormedJson(body);
    await this.http.call('POST', `${API}/runs/set-tag`, { json: body });
  }

  /**
   * One `runs/log-inputs` request: the datasets (with their `mlflow.data.context` input tag) as
   * the run's inputs, which MLflow's UI and `mlflow.get_run(id).inputs` show. Idempotent on the
   * server (a dataset is stored once per experiment, an input once per run).
   */
  async logInputs(runId: string, inputs: readonly DatasetInput[]): Promise<void> {
    validateDatasetInputs(inputs);
    const body = { run_id: runId, datasets: inputs.map(fromDatasetInput) };
    requireWellFormedJson(body);
    await this.http.call('POST', `${API}/runs/log-inputs`, { json: body });
  }

  async deleteTag(runId: string, key: string): Promise<void> {
    await this.http.call('POST', `${API}/runs/delete-tag`, { json: { run_id: runId, key } });
  }
}
