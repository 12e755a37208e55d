import type { LifecycleStage } from './enums.js';
import type { Tags } from './common.js';

/** An experiment: a named group of runs (MLflow's `Experiment`). */
export interface Experiment {
  /** Decimal string; `"0"` is MLflow's "Default" experiment. */
  readonly experimentId: string;
  /** Unique among all experiments, deleted ones included. May be hierarchical: `a/b/c`. */
  readonly name: string;
  /** Where runs of this experiment put their artifacts, e.g. `mlflow-artifacts:/3`. */
  readonly artifactLocation: string;
  readonly lifecycleStage: LifecycleStage;
  /** Milliseconds since the epoch. */
  readonly creationTime: number;
  /** Milliseconds since the epoch. */
  readonly lastUpdateTime: number;
  readonly tags: Tags;
}

/** Input of `TrackingStore.createExperiment` (`@logbook/core/spi`). */
export interface CreateExperimentInput {
  readonly name: string;
  /** Defaults to the store's artifact root joined with the new id. */
  readonly artifactLocation?: string;
  readonly tags?: Tags;
}
