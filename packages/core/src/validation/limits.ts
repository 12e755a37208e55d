/**
 * MLflow's limits (`mlflow/utils/validation.py`, server handlers and SQL schema), in one place.
 * Every store and service validates against these, so a run that logs fine offline also syncs.
 */
export const LIMITS = {
  /** Metric, param and tag keys. */
  maxEntityKeyLength: 250,
  /** Longer param values are truncated by MLflow's server (MLFLOW_TRUNCATE_LONG_VALUES=true). */
  maxParamValueLength: 6000,
  /** Longer run tag values are truncated by MLflow's server. */
  maxTagValueLength: 8000,
  /** Experiment tag values are rejected past this, never truncated. */
  maxExperimentTagValueLength: 20_000,
  maxExperimentNameLength: 500,
  maxRunNameLength: 250,
  maxArtifactLocationLength: 2048,
  maxRegistryTagKeyLength: 250,
  maxRegistryTagValueLength: 100_000,
  maxAliasLength: 255,
  /**
   * Registered model names: MLflow's `registered_models.name` column is `varchar(256)`; past it
   * MLflow 3.17.2 on PostgreSQL answers 400 with the database's error (and SQLite would keep it).
   */
  maxRegisteredModelNameLength: 256,
  maxBatchMetrics: 1000,
  maxBatchParams: 100,
  maxBatchTags: 100,
  /** Metrics + params + tags in one log-batch request. */
  maxBatchTotal: 1000,
  maxSearchRunsResults: 50_000,
  defaultSearchRunsResults: 1000,
  maxSearchExperimentsResults: 50_000,
  defaultSearchExperimentsResults: 1000,
  maxSearchRegisteredModelsResults: 1000,
  defaultSearchRegisteredModelsResults: 100,
  maxSearchModelVersionsResults: 200_000,
  defaultSearchModelVersionsResults: 10_000,
  /** The Python client's page size for metric history. */
  defaultMetricHistoryResults: 25_000,
} as const;
