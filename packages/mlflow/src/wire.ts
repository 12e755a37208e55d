/** MLflow's JSON shapes (snake_case proto names), only the fields Logbook reads. */

export interface WireKeyValue {
  readonly key: string;
  readonly value?: string;
}

export interface WireExperiment {
  readonly experiment_id: string;
  readonly name: string;
  readonly artifact_location?: string;
  readonly lifecycle_stage?: string;
  readonly creation_time?: number;
  readonly last_update_time?: number;
  readonly tags?: readonly WireKeyValue[];
}

export interface WireMetric {
  readonly key: string;
  /** A number, or "NaN" / "Infinity" / "-Infinity". */
  readonly value: number | string;
  readonly timestamp?: number;
  readonly step?: number;
}

export interface WireRunInfo {
  readonly run_id: string;
  readonly run_uuid?: string;
  readonly run_name?: string;
  readonly experiment_id: string;
  readonly user_id?: string;
  readonly status?: string;
  readonly start_time?: number;
  readonly end_time?: number;
  readonly artifact_uri?: string;
  readonly lifecycle_stage?: string;
}

export interface WireRun {
  readonly info: WireRunInfo;
  readonly data?: {
    readonly metrics?: readonly WireMetric[];
    readonly params?: readonly WireKeyValue[];
    readonly tags?: readonly WireKeyValue[];
  };
  readonly inputs?: { readonly dataset_inputs?: readonly WireDatasetInput[] };
}

/** One of `run.inputs.dataset_inputs` (and of `runs/log-inputs`' `datasets`). */
export interface WireDatasetInput {
  readonly tags?: readonly WireKeyValue[];
  readonly dataset: {
    readonly name: string;
    readonly digest: string;
    readonly source_type: string;
    readonly source: string;
    readonly schema?: string;
    readonly profile?: string;
  };
}

export interface WireModelVersion {
  readonly name: string;
  readonly version: string;
  readonly creation_timestamp?: number;
  readonly last_updated_timestamp?: number;
  readonly current_stage?: string;
  readonly description?: string;
  readonly source?: string;
  readonly run_id?: string;
  readonly run_link?: string;
  readonly status?: string;
  readonly status_message?: string;
  readonly tags?: readonly WireKeyValue[];
  readonly aliases?: readonly string[];
}

export interface WireRegisteredModel {
  readonly name: string;
  readonly creation_timestamp?: number;
  readonly last_updated_timestamp?: number;
  readonly description?: string;
  readonly latest_versions?: readonly WireModelVersion[];
  readonly tags?: readonly WireKeyValue[];
  readonly aliases?: readonly { readonly alias: string; readonly version: string }[];
}

export interface WireFileInfo {
  readonly path: string;
  readonly is_dir?: boolean;
  readonly file_size?: number | string;
}
