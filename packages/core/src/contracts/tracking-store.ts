import type { InjectionToken } from 'tsyringe';
import type { DatasetInput } from '../model/dataset-input.js';
import type { Page, PageRequest } from '../model/common.js';
import type { CreateExperimentInput, Experiment } from '../model/experiment.js';
import type { ViewType } from '../model/enums.js';
import type { CreateRunInput, LogBatch, Metric, Run, RunInfo, SearchRunsQuery, UpdateRunInput } from '../model/run.js';

/** Query of {@link TrackingStore.searchExperiments}. */
export interface SearchExperimentsQuery extends PageRequest {
  /** e.g. `name LIKE 'anomaly-detection/%'`, `tags.team = 'survey'`. */
  readonly filter?: string;
  /** e.g. `['name ASC']`. Default: creation_time DESC, experiment_id ASC. */
  readonly orderBy?: readonly string[];
  /** @default ViewType.ACTIVE_ONLY */
  readonly viewType?: ViewType;
}

/**
 * Experiments, runs and what is logged to them, with MLflow's semantics. Every implementation runs
 * `@logbook/testkit`'s tracking conformance suite; where it and a real MLflow server differ, MLflow
 * is right.
 *
 * Semantics every implementation keeps:
 * - params are write-once: the same value again is a no-op, another value is INVALID_PARAMETER_VALUE;
 * - tags are upserted; metrics are append-only, exact duplicates (key, value, timestamp, step) ignored;
 * - `getRun` returns the latest point per metric key: highest (step, timestamp, value);
 * - delete is soft (restore brings it back); writing to a deleted run is INVALID_PARAMETER_VALUE;
 * - unknown ids are RESOURCE_DOES_NOT_EXIST; duplicate experiment names RESOURCE_ALREADY_EXISTS.
 */
export interface TrackingStore {
  /** @returns the new experiment's id. */
  createExperiment(input: CreateExperimentInput): Promise<string>;
  /** Returns deleted experiments too. */
  getExperiment(experimentId: string): Promise<Experiment>;
  /** @returns the experiment, or `undefined` when no experiment has that name. */
  getExperimentByName(name: string): Promise<Experiment | undefined>;
  searchExperiments(query?: SearchExperimentsQuery): Promise<Page<Experiment>>;
  /** Renaming a deleted experiment is INVALID_STATE, as in MLflow. */
  renameExperiment(experimentId: string, newName: string): Promise<void>;
  /** Soft-deletes the experiment and its runs. */
  deleteExperiment(experimentId: string): Promise<void>;
  restoreExperiment(experimentId: string): Promise<void>;
  setExperimentTag(experimentId: string, key: string, value: string): Promise<void>;
  deleteExperimentTag(experimentId: string, key: string): Promise<void>;

  /** Creates a RUNNING run; adds the `mlflow.runName` tag; the experiment must be active. */
  createRun(input: CreateRunInput): Promise<Run>;
  getRun(runId: string): Promise<Run>;
  updateRun(runId: string, update: UpdateRunInput): Promise<RunInfo>;
  deleteRun(runId: string): Promise<void>;
  restoreRun(runId: string): Promise<void>;
  searchRuns(query: SearchRunsQuery): Promise<Page<Run>>;
  /** Writes metrics, params and tags (MLflow's log-batch limits apply). */
  logBatch(runId: string, batch: LogBatch): Promise<void>;
  /** All points of one metric, ordered by timestamp, step, value. */
  getMetricHistory(runId: string, key: string, page?: PageRequest): Promise<Page<Metric>>;
  /** Upserts a run tag; `mlflow.runName` also renames the run. */
  setTag(runId: string, key: string, value: string): Promise<void>;
  /**
   * Records datasets the run used as MLflow run inputs (`runs/log-inputs`), idempotently. Stores
   * without native inputs omit it: `logDatasetInputs` keeps them in the `logbook.inputs` tag.
   */
  logInputs?(runId: string, inputs: readonly DatasetInput[]): Promise<void>;
  deleteTag(runId: string, key: string): Promise<void>;

  /**
   * Optional: resolves when the store could take a write now, writing nothing; rejects with a
   * LogbookError otherwise (`TEMPORARILY_UNAVAILABLE` while another process holds SQLite's write
   * lock). Must not block the event loop while it waits. Health checks call it beside a read, so
   * a store that can be read but not written shows as degraded.
   */
  checkWritable?(): Promise<void>;

  /** Releases connections and file handles; idempotent. */
  close(): Promise<void>;
}

/** DI token of the {@link TrackingStore}. */
export const TRACKING_STORE: InjectionToken<TrackingStore> = Symbol.for('logbook.TrackingStore');
