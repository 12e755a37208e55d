import { userInfo } from 'node:os';
import { inject, injectable } from 'tsyringe';
import type { LogbookConfig } from '../config/types.js';
import { ARTIFACT_STORE } from '../contracts/artifact-store.js';
import type { ArtifactStore } from '../contracts/artifact-store.js';
import { LOGBOOK_CONFIG } from '../contracts/backend.js';
import { CLOCK } from '../contracts/clock.js';
import type { Clock } from '../contracts/clock.js';
import { ERROR_HANDLER } from '../contracts/logger.js';
import type { ErrorHandler } from '../contracts/logger.js';
import { TRACKING_STORE } from '../contracts/tracking-store.js';
import type { SearchExperimentsQuery, TrackingStore } from '../contracts/tracking-store.js';
import { LogbookError, isLogbookError } from '../errors.js';
import { BATCHING_LOGGER } from '../logging/batching-logger-token.js';
import type { BatchingLogger } from '../logging/batching-logger.js';
import { report } from '../logging/error-handler.js';
import type { FileInfo } from '../model/artifact.js';
import type { Page, Tags } from '../model/common.js';
import { LifecycleStage, RunStatus } from '../model/enums.js';
import type { Experiment } from '../model/experiment.js';
import type { Metric, Run, SearchRunsQuery } from '../model/run.js';
import { LIMITS } from '../validation/limits.js';
import { validateExperimentName } from '../validation/entities.js';
import { validateRunTags } from '../validation/batch.js';
import { prepareArtifact } from './artifact-input.js';
import type { ArtifactInput } from './artifact-input.js';
import { buildExperimentTree } from './experiment-tree.js';
import type { ExperimentTreeNode } from './experiment-tree.js';
import { flattenParams } from './flatten-params.js';
import { collectPages, filterString } from './paging.js';
import { compareRunData } from './run-comparison.js';
import type { RunComparison } from './run-comparison.js';

/** Options of {@link ExperimentTracker.startRun}. */
export interface StartRunOptions {
  /** Makes this a nested run (tag `mlflow.parentRunId`). */
  readonly parentRunId?: string;
  /** Extra tags; they win over the `mlflow.*` tags Logbook sets (e.g. to override `mlflow.user`). */
  readonly tags?: Tags;
  /** Milliseconds since the epoch. @default now */
  readonly startTime?: number;
}

/**
 * Experiments and runs: creation, hierarchical experiment names, buffered logging of params,
 * metrics and tags (through the batching logger: logging calls never throw and never wait),
 * artifacts, and queries. Every method takes the run id explicitly; the decorators supply it
 * from the run context.
 *
 * @example
 * ```ts
 * const { tracker } = await createLogbook();
 * const exp = await tracker.getOrCreateExperiment('segmentation/unet');
 * const run = await tracker.startRun(exp, 'baseline');
 * tracker.logParameters({ optimizer: { lr: 0.01 } }, run);
 * tracker.logMetric('loss', 0.3, 1, run);
 * await tracker.endRun(run);
 * ```
 */
@injectable()
export class ExperimentTracker {
  constructor(
    @inject(TRACKING_STORE) private readonly store: TrackingStore,
    @inject(ARTIFACT_STORE) private readonly artifacts: ArtifactStore,
    @inject(BATCHING_LOGGER) private readonly metrics: BatchingLogger,
    @inject(LOGBOOK_CONFIG) private readonly config: LogbookConfig,
    @inject(ERROR_HANDLER) private readonly onError: ErrorHandler,
    @inject(CLOCK, { isOptional: true }) clock?: Clock,
  ) {
    this.now = clock ?? Date.now;
  }

  /** Stamps run start and end times (the container's CLOCK). */
  private readonly now: Clock;

  /**
   * Creates an experiment. Names may be hierarchical (`team/project/model`): segments must be
   * non-empty. `description` is stored as the `mlflow.note.content` tag.
   * @returns the new experiment's id; RESOURCE_ALREADY_EXISTS when the name is taken.
   */
  async createExperiment(name: string, description?: string, tags: Tags = {}): Promise<string> {
    validateHierarchicalName(name);
    const all = description === undefined ? tags : { ...tags, 'mlflow.note.content': description };
    return this.store.createExperiment({ name, tags: all });
  }

  /** The id of the active experiment with this name, created when missing (safe under races). */
  async getOrCreateExperiment(name: string): Promise<string> {
    validateHierarchicalName(name);
    const existing = await this.store.getExperimentByName(name);
    if (existing !== undefined) return activeId(existing);
    try {
      return await this.store.createExperiment({ name });
    } catch (error) {
      if (!isLogbookError(error, 'RESOURCE_ALREADY_EXISTS')) throw error;
      const winner = await this.store.getExperimentByName(name);
      if (winner === undefined) throw error;
      return activeId(winner);
    }
  }

  getExperiment(experimentId: string): Promise<Experiment> {
    return this.store.getExperiment(experimentId);
  }

  getExperimentByName(name: string): Promise<Experiment | undefined> {
    return this.store.getExperimentByName(name);
  }

  searchExperiments(query?: SearchExperimentsQuery): Promise<Page<Experiment>> {
    return this.store.searchExperiments(query);
  }

  /** Active experiments as a tree of their `/`-separated names, optionally under `prefix`. */
  async listExperimentTree(prefix?: string): Promise<ExperimentTreeNode[]> {
    const base = prefix?.replace(/\/+$/, '');
    // LIKE narrows the listing; '%' or '_' in the prefix only over-match, and the tree filters exactly.
    const filter = base ? `name LIKE ${filterString(`${base}%`)}` : undefined;
    const experiments = await collectPages((page) => this.store.searchExperiments({ ...page, ...(filter === undefined ? {} : { filter }) }), LIMITS.defaultSearchExperimentsResults);
    return buildExperimentTree(experiments, base);
  }

  /**
   * Starts a RUNNING run. Sets `mlflow.user` (the OS user), `mlflow.source.name` (the entry
   * script), `mlflow.source.type` = `LOCAL` and, for nested runs, `mlflow.parentRunId`.
   * @returns the run id.
   */
  async startRun(experimentId: string, runName?: string, options: StartRunOptions = {}): Promise<string> {
    // The rule of log-batch tags (setTags): long values truncated to 8000 characters, bad ones refused.
    const tags = validateRunTags(
      {
        'mlflow.user': currentUser(),
        'mlflow.source.name': process.argv[1] ?? 'unknown',
        'mlflow.source.type': 'LOCAL',
        ...(options.parentRunId === undefined ? {} : { 'mlflow.parentRunId': options.parentRunId }),
        ...options.tags,
      },
      'truncate',
    );
    const run = await this.store.createRun({
      experimentId,
      ...(runName === undefined ? {} : { runName }),
      startTime: options.startTime ?? this.now(),
      tags,
      userId: tags['mlflow.user']!,
    });
    return run.info.runId;
  }

  /**
   * Buffers params; nested objects are flattened (`optimizer.lr`), values stringified. A value that
   * cannot be a param (a function, a circular reference, …) is reported to the error handler by
   * name and left out; the call's other params are kept. Never throws.
   */
  logParameters(params: Record<string, unknown>, runId: string): void {
    this.safely('logParameters', runId, () => {
      requireRecord(params, 'params');
      const flat = flattenParams(params);
      for (const error of flat.rejected) report(this.onError, error, { operation: 'logParameters', runId });
      if (Object.keys(flat.params).length > 0) this.metrics.logParams(runId, flat.params);
    });
  }

  /** Buffers metrics sharing a step (default 0) and timestamp (default now). Never throws. */
  logMetrics(metrics: Record<string, number>, step: number | undefined, runId: string, timestamp?: number): void {
    this.safely('logMetrics', runId, () => {
      requireRecord(metrics, 'metrics');
      this.metrics.logMetrics(runId, metrics, step, timestamp);
    });
  }

  /** Buffers one metric point. Never throws. */
  logMetric(key: string, value: number, step: number | undefined, runId: string, timestamp?: number): void {
    this.safely('logMetric', runId, () => this.metrics.logMetric(runId, key, value, step, timestamp));
  }

  /** Buffers tags (upserted). Never throws. */
  setTags(tags: Record<string, string>, runId: string): void {
    this.safely('setTags', runId, () => {
      requireRecord(tags, 'tags');
      this.metrics.setTags(runId, tags);
    });
  }

  /**
   * Uploads files under the run's artifact root. Every size that can be known (bytes, files) is
   * checked against `maxArtifactSize` before any upload starts; streams are cut off at the limit.
   * @throws LogbookError PAYLOAD_TOO_LARGE naming the limit.
   */
  async logArtifacts(artifacts: Record<string, ArtifactInput>, runId: string): Promise<FileInfo[]> {
    const run = await this.store.getRun(runId);
    const limit = this.config.maxArtifactSize;
    const prepared = await Promise.all(Object.entries(artifacts).map(([path, input]) => prepareArtifact(path, input, limit)));
    const written: FileInfo[] = [];
    for (const a of prepared) {
      written.push(await this.artifacts.put(run.info.artifactUri, a.path, a.body, a.size === undefined ? {} : { size: a.size }));
    }
    return written;
  }

  /** Drains the run's buffered points, then sets its status and end time. */
  async endRun(runId: string, status: RunStatus = RunStatus.FINISHED, endTime?: number): Promise<void> {
    await this.metrics.flush(runId);
    await this.store.updateRun(runId, { status, endTime: endTime ?? this.now() });
  }

  /** Resolves when what was logged before (to `runId`, or to any run) is written or reported. */
  flush(runId?: string): Promise<void> {
    return this.metrics.flush(runId);
  }

  getRun(runId: string): Promise<Run> {
    return this.store.getRun(runId);
  }

  searchRuns(query: SearchRunsQuery): Promise<Page<Run>> {
    return this.store.searchRuns(query);
  }

  /** Every point of one metric (all pages), ordered by timestamp, step, value. */
  getMetricHistory(runId: string, key: string): Promise<Metric[]> {
    return collectPages((page) => this.store.getMetricHistory(runId, key, page), LIMITS.defaultMetricHistoryResults);
  }

  /** Runs whose `mlflow.parentRunId` is `runId` (all pages). */
  async getChildRuns(runId: string): Promise<Run[]> {
    const parent = await this.store.getRun(runId);
    const filter = `tags.mlflow.parentRunId = ${filterString(runId)}`;
    return collectPages((page) => this.store.searchRuns({ ...page, experimentIds: [parent.info.experimentId], filter }), LIMITS.defaultSearchRunsResults);
  }

  /** Params and latest metrics of the runs side by side, differing keys marked. */
  async compareRuns(runIds: string[]): Promise<RunComparison> {
    const runs = await Promise.all(runIds.map((id) => this.store.getRun(id)));
    return compareRunData(runs);
  }

  private safely(operation: string, runId: string, work: () => void): void {
    try {
      work();
    } catch (error) {
      report(this.onError, error, { operation, runId });
    }
  }
}

/** The logging calls take an object of key → value; anything else is reported, never a TypeError. */
function requireRecord(value: unknown, field: 'params' | 'metrics' | 'tags'): void {
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) return;
  const got = value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value;
  throw new LogbookError('INVALID_PARAMETER_VALUE', `[core] ${field} must be an object of key to value, got ${got}; nothing was logged.`, { field });
}

function validateHierarchicalName(name: string): void {
  validateExperimentName(name);
  if (name.split('/').some((segment) => segment.trim() === '')) {
    throw new LogbookError('INVALID_PARAMETER_VALUE', `[core] Invalid experiment name '${name}': every '/'-separated segment must be non-empty.`, { field: 'name' });
  }
}

function activeId(experiment: Experiment): string {
  if (experiment.lifecycleStage === LifecycleStage.DELETED) {
    throw new LogbookError('INVALID_STATE', `[core] Experiment '${experiment.name}' (id ${experiment.experimentId}) is deleted; restore it or choose another name.`, { field: 'name' });
  }
  return experiment.experimentId;
}

function currentUser(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}
