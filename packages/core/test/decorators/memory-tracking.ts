// TEMPORARY test backend, used until ExperimentTracker and SqliteStore land: an in-memory
// TrackingStore with only what the decorator tests read, and a RunSink over it. The tests assert
// through the TrackingStore contract only, so switching to the real parts changes this file alone.
import { randomUUID } from 'node:crypto';
import { LifecycleStage, LogbookError, RunStatus } from '../../src/index.js';
import type { CreateExperimentInput, CreateRunInput, Experiment, LogBatch, Metric, Page, Run, RunInfo, UpdateRunInput } from '../../src/index.js';
import type { RunSink } from '../../src/decorators/run-sink.js';
import type { Tags } from '../../src/index.js';

interface StoredRun { info: RunInfo; params: Record<string, string>; tags: Record<string, string>; metrics: Metric[] }

/** What the tests read back: the TrackingStore methods they use. */
export interface ReadableStore {
  getExperimentByName(name: string): Promise<Experiment | undefined>;
  getRun(runId: string): Promise<Run>;
  getMetricHistory(runId: string, key: string): Promise<Page<Metric>>;
  searchRuns(query: { experimentIds: readonly string[] }): Promise<Page<Run>>;
}

export class MemoryStore implements ReadableStore {
  readonly experiments: Experiment[] = [];
  readonly runs = new Map<string, StoredRun>();

  async createExperiment(input: CreateExperimentInput): Promise<string> {
    if (this.experiments.some((e) => e.name === input.name)) throw new LogbookError('RESOURCE_ALREADY_EXISTS', `exists: ${input.name}`);
    const experimentId = String(this.experiments.length + 1);
    this.experiments.push({ experimentId, name: input.name, artifactLocation: '', lifecycleStage: LifecycleStage.ACTIVE, creationTime: Date.now(), lastUpdateTime: Date.now(), tags: input.tags ?? {} });
    return experimentId;
  }
  async getExperimentByName(name: string): Promise<Experiment | undefined> {
    return this.experiments.find((e) => e.name === name);
  }
  async createRun(input: CreateRunInput): Promise<Run> {
    const runId = randomUUID().replaceAll('-', '');
    const runName = input.runName ?? `run-${this.runs.size}`;
    const info: RunInfo = { runId, experimentId: input.experimentId, runName, userId: 'test', status: RunStatus.RUNNING, startTime: Date.now(), artifactUri: '', lifecycleStage: LifecycleStage.ACTIVE };
    this.runs.set(runId, { info, params: {}, tags: { ...input.tags, 'mlflow.runName': runName }, metrics: [] });
    return this.getRun(runId);
  }
  async getRun(runId: string): Promise<Run> {
    const run = this.must(runId);
    const latest = new Map<string, Metric>();
    for (const m of run.metrics) {
      const prev = latest.get(m.key);
      if (prev === undefined || m.step > prev.step || (m.step === prev.step && m.timestamp >= prev.timestamp)) latest.set(m.key, m);
    }
    return { info: run.info, data: { params: { ...run.params }, tags: { ...run.tags }, metrics: [...latest.values()] } };
  }
  async updateRun(runId: string, update: UpdateRunInput): Promise<RunInfo> {
    const run = this.must(runId);
    run.info = { ...run.info, ...update };
    return run.info;
  }
  async logBatch(runId: string, batch: LogBatch): Promise<void> {
    const run = this.must(runId);
    for (const p of batch.params ?? []) {
      if (run.params[p.key] !== undefined && run.params[p.key] !== p.value) throw new LogbookError('INVALID_PARAMETER_VALUE', `param ${p.key} already set`);
      run.params[p.key] = p.value;
    }
    for (const t of batch.tags ?? []) run.tags[t.key] = t.value;
    run.metrics.push(...(batch.metrics ?? []));
  }
  async getMetricHistory(runId: string, key: string): Promise<Page<Metric>> {
    return { items: this.must(runId).metrics.filter((m) => m.key === key) };
  }
  async searchRuns(query: { experimentIds: readonly string[] }): Promise<Page<Run>> {
    const ids = [...this.runs.values()].filter((r) => query.experimentIds.includes(r.info.experimentId)).map((r) => r.info.runId);
    return { items: await Promise.all(ids.map((id) => this.getRun(id))) };
  }
  private must(runId: string): StoredRun {
    const run = this.runs.get(runId);
    if (run === undefined) throw new LogbookError('RESOURCE_DOES_NOT_EXIST', `no run ${runId}`);
    return run;
  }
}

/** A RunSink over the store: writes are queued per run and drained by endRun. */
export class MemorySink implements RunSink {
  private readonly pending = new Map<string, Promise<void>[]>();
  constructor(private readonly store: MemoryStore, private readonly onError: (e: unknown, c: { operation: string; runId?: string }) => void) {}

  async getOrCreateExperiment(name: string): Promise<string> {
    const found = await this.store.getExperimentByName(name);
    if (found !== undefined) return found.experimentId;
    return this.store.createExperiment({ name }).catch(async (e: unknown) => {
      const raced = await this.store.getExperimentByName(name);
      if (raced === undefined) throw e;
      return raced.experimentId;
    });
  }
  async startRun(experimentId: string, runName?: string, options: { parentRunId?: string; tags?: Tags } = {}): Promise<string> {
    const tags = { ...options.tags, ...(options.parentRunId === undefined ? {} : { 'mlflow.parentRunId': options.parentRunId }) };
    return (await this.store.createRun({ experimentId, ...(runName === undefined ? {} : { runName }), tags })).info.runId;
  }
  async endRun(runId: string, status: RunStatus = RunStatus.FINISHED): Promise<void> {
    await Promise.all(this.pending.get(runId) ?? []);
    this.pending.delete(runId);
    await this.store.updateRun(runId, { status, endTime: Date.now() });
  }
  logParameters(params: Record<string, unknown>, runId: string): void {
    this.write(runId, { params: Object.entries(params).map(([key, value]) => ({ key, value: String(value) })) });
  }
  logMetrics(metrics: Record<string, number>, step: number | undefined, runId: string, timestamp = Date.now()): void {
    this.write(runId, { metrics: Object.entries(metrics).map(([key, value]) => ({ key, value, step: step ?? 0, timestamp })) });
  }
  setTags(tags: Record<string, string>, runId: string): void {
    this.write(runId, { tags: Object.entries(tags).map(([key, value]) => ({ key, value })) });
  }
  private write(runId: string, batch: LogBatch): void {
    const list = this.pending.get(runId) ?? [];
    list.push(this.store.logBatch(runId, batch).catch((e: unknown) => this.onError(e, { operation: 'logBatch', runId })));
    this.pending.set(runId, list);
  }
}
