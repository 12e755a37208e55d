import type { ModelStage, ModelVersionStatus } from './enums.js';
import type { PageRequest, Tags } from './common.js';

/** A named model in the registry (MLflow's `RegisteredModel`). */
export interface RegisteredModel {
  readonly name: string;
  readonly creationTimestamp: number;
  readonly lastUpdatedTimestamp: number;
  readonly description?: string;
  /** The latest READY version per stage. */
  readonly latestVersions: readonly ModelVersion[];
  readonly tags: Tags;
  /** Alias name → version number. */
  readonly aliases: Readonly<Record<string, string>>;
}

/** One version of a registered model (MLflow's `ModelVersion`). */
export interface ModelVersion {
  readonly name: string;
  /** Decimal string, per model, starting at `"1"`. */
  readonly version: string;
  readonly creationTimestamp: number;
  readonly lastUpdatedTimestamp: number;
  readonly currentStage: ModelStage;
  readonly description?: string;
  /** Where the model's files are, e.g. `runs:/<id>/model` or an artifact URI. */
  readonly source: string;
  readonly runId?: string;
  readonly runLink?: string;
  readonly status: ModelVersionStatus;
  readonly statusMessage?: string;
  readonly tags: Tags;
  readonly aliases: readonly string[];
}

/** Input of `RegistryStore.createRegisteredModel` (`@logbook/core/spi`). */
export interface CreateRegisteredModelInput {
  readonly name: string;
  readonly description?: string;
  readonly tags?: Tags;
}

/** Input of `RegistryStore.createModelVersion` (`@logbook/core/spi`). */
export interface CreateModelVersionInput {
  readonly name: string;
  readonly source: string;
  readonly runId?: string;
  readonly runLink?: string;
  readonly description?: string;
  readonly tags?: Tags;
}

/** Query of registered-model and model-version searches. */
export interface RegistrySearchQuery extends PageRequest {
  /** e.g. `name LIKE 'unet%'`, `tags.team = 'survey'`, `name = 'm' and run_id = '…'`. */
  readonly filter?: string;
  readonly orderBy?: readonly string[];
}
