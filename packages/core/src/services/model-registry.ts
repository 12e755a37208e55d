import { inject, injectable } from 'tsyringe';
import { REGISTRY_STORE } from '../contracts/registry-store.js';
import type { RegistryStore } from '../contracts/registry-store.js';
import { isLogbookError } from '../errors.js';
import type { Page, Tags } from '../model/common.js';
import type { ModelStage } from '../model/enums.js';
import type { ModelVersion, RegisteredModel, RegistrySearchQuery } from '../model/registry.js';
import { listVersions, parseModelStage, resolveModelVersion } from './registry/resolve-version.js';

/** Options of {@link ModelRegistry.registerModel}. */
export interface RegisterModelOptions {
  /** Description of the new version. */
  readonly description?: string;
  /** Tags of the new version. */
  readonly tags?: Tags;
}

/**
 * The model registry: registered models, their versions, stages and aliases, with MLflow's
 * semantics (versions numbered from "1" per model; unknown alias is INVALID_PARAMETER_VALUE).
 * Method names and argument order are the ticket's (`register_model(model_path, model_name,
 * run_id)` → `registerModel(modelPath, modelName, runId)`). Every `version` argument may be MLflow's
 * integer version, `latest`, a stage, a semver, a semver range or an alias (see
 * {@link resolveModelVersion}).
 *
 * @example
 * ```ts
 * const v = await logbook.registry.registerModel(`runs:/${runId}/model`, 'unet', runId);
 * await logbook.registry.transitionModelStage('unet', v.version, 'Production');
 * const live = await logbook.registry.getLatestModel('unet', 'Production');
 * ```
 */
@injectable()
export class ModelRegistry {
  constructor(@inject(REGISTRY_STORE) private readonly store: RegistryStore) {}

  /** Creates a new version of `modelName` from `modelPath`, creating the registered model when missing. */
  async registerModel(modelPath: string, modelName: string, runId?: string, options: RegisterModelOptions = {}): Promise<ModelVersion> {
    await this.ensureModel(modelName);
    return this.store.createModelVersion({
      name: modelName,
      source: modelPath,
      ...(runId === undefined ? {} : { runId }),
      ...(options.description === undefined ? {} : { description: options.description }),
      ...(options.tags === undefined ? {} : { tags: options.tags }),
    });
  }

  getModel(name: string): Promise<RegisteredModel> {
    return this.store.getRegisteredModel(name);
  }

  listModels(query?: RegistrySearchQuery): Promise<Page<RegisteredModel>> {
    return this.store.searchRegisteredModels(query);
  }

  /**
   * Every version of `modelName` (all pages), by ascending version number.
   * @throws LogbookError RESOURCE_DOES_NOT_EXIST for an unknown model.
   */
  listModelVersions(modelName: string): Promise<ModelVersion[]> {
    return listVersions(this.store, modelName);
  }

  /** @deprecated Use {@link listModelVersions}. */
  getModelVersions(name: string): Promise<ModelVersion[]> {
    return this.listModelVersions(name);
  }

  /** One version; `version` as {@link resolveModelVersion} reads it (`3`, `Production`, `1.2.0`, `^1`, `champion`). */
  getModelVersion(modelName: string, version: string): Promise<ModelVersion> {
    return resolveModelVersion(this.store, modelName, version);
  }

  /**
   * Moves a version to a stage (any case); with `archiveExisting`, others in Staging/Production are archived.
   * @throws LogbookError INVALID_PARAMETER_VALUE for an unknown stage.
   */
  async transitionModelStage(modelName: string, version: string, stage: ModelStage | string, archiveExisting = false): Promise<ModelVersion> {
    const target = parseModelStage(stage);
    const resolved = await this.getModelVersion(modelName, version);
    return this.store.transitionModelVersionStage(modelName, resolved.version, target, archiveExisting);
  }

  /** @deprecated Use {@link transitionModelStage}. */
  transitionStage(name: string, version: string, stage: ModelStage, archiveExisting = false): Promise<ModelVersion> {
    return this.transitionModelStage(name, version, stage, archiveExisting);
  }

  /**
   * The newest version in `stage` (any case), or the newest of all when `stage` is absent.
   * @throws LogbookError RESOURCE_DOES_NOT_EXIST when the model or such a version is missing.
   */
  async getLatestModel(modelName: string, stage?: ModelStage | string): Promise<ModelVersion> {
    return this.getModelVersion(modelName, stage === undefined ? 'latest' : parseModelStage(stage));
  }

  /** Latest version per stage (all four stages when `stages` is absent). */
  getLatestVersions(name: string, stages?: readonly ModelStage[]): Promise<readonly ModelVersion[]> {
    return this.store.getLatestVersions(name, stages);
  }

  /** Deletes one version (its aliases go with it). */
  async deleteModelVersion(modelName: string, version: string): Promise<void> {
    const resolved = await this.getModelVersion(modelName, version);
    await this.store.deleteModelVersion(modelName, resolved.version);
  }

  /** Points `alias` at `version` (moving it if it pointed elsewhere). */
  async setAlias(name: string, alias: string, version: string): Promise<void> {
    const resolved = await this.getModelVersion(name, version);
    await this.store.setRegisteredModelAlias(name, alias, resolved.version);
  }

  getVersionByAlias(name: string, alias: string): Promise<ModelVersion> {
    return this.store.getModelVersionByAlias(name, alias);
  }

  deleteAlias(name: string, alias: string): Promise<void> {
    return this.store.deleteRegisteredModelAlias(name, alias);
  }

  deleteModel(name: string): Promise<void> {
    return this.store.deleteRegisteredModel(name);
  }

  setModelTag(name: string, key: string, value: string): Promise<void> {
    return this.store.setRegisteredModelTag(name, key, value);
  }

  async setVersionTag(name: string, version: string, key: string, value: string): Promise<void> {
    const resolved = await this.getModelVersion(name, version);
    await this.store.setModelVersionTag(name, resolved.version, key, value);
  }

  /** The store underneath, for the versioning service. */
  get registryStore(): RegistryStore {
    return this.store;
  }

  private async ensureModel(name: string): Promise<void> {
    try {
      await this.store.getRegisteredModel(name);
    } catch (error) {
      if (!isLogbookError(error, 'RESOURCE_DOES_NOT_EXIST')) throw error;
      try {
        await this.store.createRegisteredModel({ name });
      } catch (createError) {
        // Another process registered it in between: that is what we wanted.
        if (!isLogbookError(createError, 'RESOURCE_ALREADY_EXISTS')) throw createError;
      }
    }
  }
}
