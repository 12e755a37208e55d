/** A dataset a run used: MLflow's run input (`runs/log-inputs`, `run.inputs.dataset_inputs`). */
export interface DatasetInput {
  /** At most 500 characters (MLflow's limit). */
  readonly name: string;
  /** At most 36 characters (MLflow's limit). */
  readonly digest: string;
  /** MLflow's `source_type`: `s3`, `gs`, `http`, `local`, `external`… */
  readonly sourceType: string;
  /** MLflow's `source`: the JSON of the source, e.g. `{"uri":"s3://survey/nights"}`. At most 65,535 characters. */
  readonly source: string;
  /** The input tag `mlflow.data.context`, e.g. `training`. At most 500 characters. */
  readonly context?: string;
}
