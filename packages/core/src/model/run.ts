import type { DatasetInput } from './dataset-input.js';
import type { LifecycleStage, RunStatus, ViewType } from './enums.js';
import type { PageRequest, Tags } from './common.js';

/** One metric point. Metrics are append-only histories keyed by `key`. */
export interface Metric {
  readonly key: string;
  /** A double; NaN is kept, ±Infinity is clamped to ±Number.MAX_VALUE as MLflow's SQL stores do. */
  readonly value: number;
  /** Milliseconds since the epoch. */
  readonly timestamp: number;
  /** Integer training step; 0 when not given. */
  readonly step: number;
}

/** A metric point together with the run it belongs to (for multi-run history). */
export interface RunMetric extends Metric {
  readonly runId: string;
}

/** Descriptive fields of a run (MLflow's `RunInfo`). */
export interface RunInfo {
  /** 32 lowercase hex characters on MLflow. */
  readonly runId: string;
  readonly experimentId: string;
  readonly runName: string;
  readonly userId: string;
  readonly status: RunStatus;
  /** Milliseconds since the epoch. */
  readonly startTime: number;
  /** Milliseconds since the epoch; absent while the run has not ended. */
  readonly endTime?: number;
  readonly artifactUri: string;
  readonly lifecycleStage: LifecycleStage;
}

/** What was logged to a run. */
export interface RunData {
  /** The latest point of each metric key: highest (step, timestamp, value). */
  readonly metrics: readonly Metric[];
  readonly params: Tags;
  readonly tags: Tags;
}

/** A run: info and data. */
export interface Run {
  readonly info: RunInfo;
  readonly data: RunData;
  /** Datasets the run used, where the store holds them natively (MLflow); see `runDatasetInputs`. */
  readonly inputs?: readonly DatasetInput[];
}

/** Input of `TrackingStore.createRun` (`@logbook/core/spi`). */
export interface CreateRunInput {
  readonly experimentId: string;
  /** Random `adjective-noun-<n>` name when absent, as MLflow does. */
  readonly runName?: string;
  /** Milliseconds since the epoch; defaults to now. Kept as given (sync keeps original times). */
  readonly startTime?: number;
  readonly tags?: Tags;
  /** Defaults to the `mlflow.user` tag, else `"unknown"`. */
  readonly userId?: string;
}

/** Fields of a run that can change after creation; absent fields are left alone. */
export interface UpdateRunInput {
  readonly status?: RunStatus;
  readonly endTime?: number;
  readonly runName?: string;
}

/** A batch of writes to one run. MLflow's limits: 1000 metrics, 100 params, 100 tags, 1000 in all. */
export interface LogBatch {
  readonly metrics?: readonly Metric[];
  readonly params?: readonly { readonly key: string; readonly value: string }[];
  readonly tags?: readonly { readonly key: string; readonly value: string }[];
}

/** Query of `TrackingStore.searchRuns` (`@logbook/core/spi`). */
export interface SearchRunsQuery extends PageRequest {
  readonly experimentIds: readonly string[];
  /** MLflow's filter subset, e.g. `metrics.loss < 0.1 and params.lr = '0.01'`. */
  readonly filter?: string;
  /** e.g. `['metrics.loss ASC', 'attributes.start_time DESC']`. Default: start_time DESC, run_id. */
  readonly orderBy?: readonly string[];
  /** @default ViewType.ACTIVE_ONLY */
  readonly viewType?: ViewType;
}
