import type { InjectionToken } from 'tsyringe';
import type { Page } from '../model/common.js';
import type { ModelStage } from '../model/enums.js';
import type { CreateModelVersionInput, CreateRegisteredModelInput, ModelVersion, RegisteredModel, RegistrySearchQuery } from '../model/registry.js';

/**
 * Registered models and their versions, with MLflow's semantics: versions numbered per model from
 * `"1"`, READY on creation; stages None/Staging/Production/Archived (case-insensitive on input);
 * aliases point at one version each and move when set again; an unknown alias is
 * INVALID_PARAMETER_VALUE (MLflow answers 400, not 404); deleting a version removes its aliases.
 */
export interface RegistryStore {
  createRegisteredModel(input: CreateRegisteredModelInput): Promise<RegisteredModel>;
  getRegisteredModel(name: string): Promise<RegisteredModel>;
  searchRegisteredModels(query?: RegistrySearchQuery): Promise<Page<RegisteredModel>>;
  updateRegisteredModel(name: string, update: { readonly description?: string }): Promise<RegisteredModel>;
  renameRegisteredModel(name: string, newName: string): Promise<RegisteredModel>;
  /** Deletes the model and all its versions. */
  deleteRegisteredModel(name: string): Promise<void>;
  setRegisteredModelTag(name: string, key: string, value: string): Promise<void>;
  deleteRegisteredModelTag(name: string, key: string): Promise<void>;
  setRegisteredModelAlias(name: string, alias: string, version: string): Promise<void>;
  deleteRegisteredModelAlias(name: string, alias: string): Promise<void>;
  getModelVersionByAlias(name: string, alias: string): Promise<ModelVersion>;
  /** Latest version per stage; all four stages when `stages` is empty or absent. */
  getLatestVersions(name: string, stages?: readonly ModelStage[]): Promise<readonly ModelVersion[]>;

  createModelVersion(input: CreateModelVersionInput): Promise<ModelVersion>;
  getModelVersion(name: string, version: string): Promise<ModelVersion>;
  searchModelVersions(query?: RegistrySearchQuery): Promise<Page<ModelVersion>>;
  updateModelVersion(name: string, version: string, update: { readonly description?: string }): Promise<ModelVersion>;
  /** With `archiveExistingVersions`, other versions in Staging/Production move to Archived. */
  transitionModelVersionStage(name: string, version: string, stage: ModelStage, archiveExistingVersions: boolean): Promise<ModelVersion>;
  deleteModelVersion(name: string, version: string): Promise<void>;
  getModelVersionDownloadUri(name: string, version: string): Promise<string>;
  setModelVersionTag(name: string, version: string, key: string, value: string): Promise<void>;
  deleteModelVersionTag(name: string, version: string, key: string): Promise<void>;

  /** Releases connections; idempotent. */
  close(): Promise<void>;
}

/** DI token of the {@link RegistryStore}. */
export const REGISTRY_STORE: InjectionToken<RegistryStore> = Symbol.for('logbook.RegistryStore');
