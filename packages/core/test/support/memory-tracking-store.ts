// An in-memory TrackingStore for the wiring and service tests of core. It is a test double of the
// services' collaborator, not a store Logbook ships: the real stores run @logbook/testkit.
import { randomUUID } from 'node:crypto';
import {
  LifecycleStage, LogbookError, RunStatus, validateLogBatch,
} from '../../src/index.js';
import type {
  CreateExperimentInput, CreateRunInput, Experiment, LogBatch, Metric, Page, PageRequest, Run, RunInfo,
  SearchExperimentsQuery, SearchRunsQuery, TrackingStore, UpdateRunInput,
} from '../../src/index.js';

interface StoredRun {
  info: RunInfo;
  params: Record<string, string>;
  tags: Record<string, string>;
  metrics: Metric[];
}

function page<T>(items: T[], request: PageRequest = {}): Page<T> {
  const offset = request.pageToken === undefined ? 0 : Number(request.pageToken);
  const size = request.maxResults ?? 1000;
  const slice = items.slice(offset, offset + size);
  return offset + size < items.length ? { items: slice, nextPageToken: String(offset + size) } : { items: slice };
}

const missing = (what: string): LogbookError => new LogbookError('RESOURCE_DOES_NOT_EXIST', `[memory] ${what} not found`);

export class MemoryTrackingStore implements TrackingStore {
  readonly experiments = new Map<string, Experiment>();
  readonly runs = new Map<string, StoredRun>();
  readonly batches: { runId: string; batch: LogBatch }[] = [];
  closed = 0;
  private nextId = 1;

  async createExperiment(input: CreateExperimentInput): Promise<string> {
    if ([...this.experiments.values()].some((e) => e.name === input.name)) {
      throw new LogbookError('RESOURCE_ALREADY_EXISTS', `[memory] Experiment(name=${input.name}) already exists.`);
    }
    const id = String(this.nextId++);
    const now = Date.now();
    this.experiments.set(id, {
      experimentId: id, name: input.name, artifactLocation: input.artifactLocation ?? `mem://artifacts/${id}`,
      lifecycleStage: LifecycleStage.ACTIVE, creationTime: now, lastUpdateTime: now, tags: { ...input.tags },
    });
    return id;
  }
  async getExperiment(id: string): Promise<Experiment> {
    const e = this.experiments.get(id);
    if (e === undefined) throw missing(`experiment ${id}`);
    return e;
  }
  async getExperimentByName(name: string): Promise<Experiment | undefined> {
    return [...this.experiments.values()].find((e) => e.name === name);
  }
  async searchExperiments(query: SearchExperimentsQuery = {}): Promise<Page<Experiment>> {
    const like = query.filter === undefined ? undefined : /^name LIKE '(.*)%'$/.exec(query.filter)?.[1];
    const items = [...this.experiments.values()].filter((e) => e.lifecycleStage === LifecycleStage.ACTIVE && (like === undefined || e.name.startsWith(like)));
    return page(items, query);
  }
  async renameExperiment(id: string, newName: string): Promise<void> {
    this.experiments.set(id, { ...(await this.getExperiment(id)), name: newName });
  }
  async deleteExperiment(id: string): Promise<void> {
    this.experiments.set(id, { ...(await this.getExperiment(id)), lifecycleStage: LifecycleStage.DELETED });
  }
  async restoreExperiment(id: string): Promise<void> {
    this.experiments.set(id, { ...(await this.getExperiment(id)), lifecycleStage: LifecycleStage.ACTIVE });
  }
  async setExperimentTag(id: string, key: string, value: string): Promise<void> {
    const e = await this.getExperiment(id);
    this.experiments.set(id, { ...e, tags: { ...e.tags, [key]: value } });
  }
  async deleteExperimentTag(id: string, key: string): Promise<void> {
    const e = await this.getExperiment(id);
    const tags = { ...e.tags };
    delete tags[key];
    this.experiments.set(id, { ...e, tags });
  }

  async createRun(input: CreateRunInput): Promise<Run> {
    const experiment = await this.getExperiment(input.experimentId);
    const runId = randomUUID().replace(/-/g, '');
    const runName = input.runName ?? `run-${this.runs.size + 1}`;
    const stored: StoredRun = {
      info: {
        runId, experimentId: input.experimentId, runName, userId: input.userId ?? 'unknown', status: RunStatus.RUNNING,
        startTime: input.startTime ?? Date.now(), artifactUri: `${experiment.artifactLocation}/${runId}/artifacts`,
        lifecycleStage: LifecycleStage.ACTIVE,
      },
      params: {},
      tags: { ...input.tags, 'mlflow.runName': runName },
      metrics: [],
    };
    this.runs.set(runId, stored);
    return this.toRun(stored);
  }
  async getRun(runId: string): Promise<Run> {
    return this.toRun(this.stored(runId));
  }
  async updateRun(runId: string, update: UpdateRunInput): Promise<RunInfo> {
    const s = this.stored(runId);
    s.info = { ...s.info, ...update };
    return s.info;
  }
  async deleteRun(runId: string): Promise<void> {
    const s = this.stored(runId);
    s.info = { ...s.info, lifecycleStage: LifecycleStage.DELETED };
  }
  async restoreRun(runId: string): Promise<void> {
    const s = this.stored(runId);
    s.info = { ...s.info, lifecycleStage: LifecycleStage.ACTIVE };
  }
  async searchRuns(query: SearchRunsQuery): Promise<Page<Run>> {
    const parent = query.filter === undefined ? undefined : /^tags\.mlflow\.parentRunId = '(.*)'$/.exec(query.filter)?.[1];
    const items = [...this.runs.values()]
      .filter((r) => query.experimentIds.includes(r.info.experimentId))
      .filter((r) => parent === undefined || r.tags['mlflow.parentRunId'] === parent)
      .map((r) => this.toRun(r));
    return page(items, query);
  }
  /** Validates like MLflow (limits, keys, write-once params) and records each request. */
  async logBatch(runId: string, batch: LogBatch): Promise<void> {
    const s = this.stored(runId);
    const valid = validateLogBatch(batch, 'truncate');
    valid.params.forEach((p, i) => {
      const old = s.params[p.key];
      if (old !== undefined && old !== p.value) {
        throw new LogbookError('INVALID_PARAMETER_VALUE', `[memory] Changing param values is not allowed (key '${p.key}').`, { field: `params[${i}].value` });
      }
    });
    this.batches.push({ runId, batch });
    for (const p of valid.params) s.params[p.key] = p.value;
    for (const t of valid.tags) s.tags[t.key] = t.value;
    s.metrics.push(...valid.metrics);
  }
  async getMetricHistory(runId: string, key: string, request?: PageRequest): Promise<Page<Metric>> {
    return page(this.stored(runId).metrics.filter((m) => m.key === key), request);
  }
  async setTag(runId: string, key: string, value: string): Promise<void> {
    this.stored(runId).tags[key] = value;
  }
  async deleteTag(runId: string, key: string): Promise<void> {
    delete this.stored(runId).tags[key];
  }
  async close(): Promise<void> {
    this.closed++;
  }

  private stored(runId: string): StoredRun {
    const s = this.runs.get(runId);
    if (s === undefined) throw missing(`run ${runId}`);
    return s;
  }

  private toRun(s: StoredRun): Run {
    const latest = new Map<string, Metric>();
    for (const m of s.metrics) {
      const prev = latest.get(m.key);
      if (prev === undefined || m.step > prev.step || (m.step === prev.step && m.timestamp >= prev.timestamp)) latest.set(m.key, m);
    }
    return { info: s.info, data: { metrics: [...latest.values()], params: { ...s.params }, tags: { ...s.tags } } };
  }
}
