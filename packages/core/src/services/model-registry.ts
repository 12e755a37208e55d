import { inject, injectable } from 'tsyringe';
import { REGISTRY_STORE } from '../contracts/registry-store.js';
import type { RegistryStore } from '../contracts/registry-store.js';
import { isLogbookError } from '../errors.js';
import type { Page, Tags } from '../model/common.js';
import type { ModelStage } from '../model/enums.js';
import type { ModelVersion, RegisteredModel, RegistrySearchQuery } from '../model/registry.js';
import { LIMITS } from '../validation/limits.js';
import { collectPages, filterString } from './paging.js';

/** Options of {@link ModelRegistry.registerModel}. */
export interface RegisterModelOptions {
  /** The run that produced the model. */
  readonly runId?: string;
  /** Description of the new version. */
  readonly description?: string;
  /** Tags of the new version. */
  readonly tags?: Tags;
}

/**
 * The model registry: registered models, their versions, stages and aliases, with MLflow's
 * semantics (versions numbered from "1" per model; unknown alias is INVALID_PARAMETER_VALUE).
 *
 * @example
 * ```ts
 * const v = await logbook.registry.registerModel('unet', `runs:/${runId}/model`, { runId });
 * await logbook.registry.setAlias('unet', 'champion', v.version);
 * ```
 */
@injectable()
export class ModelRegistry {
  constructor(@inject(REGISTRY_STORE) private readonly store: RegistryStore) {}

  /** Creates a new version of `name` from `source`, creating the registered model when missing. */
  async registerModel(name: string, source: string, options: RegisterModelOptions = {}): Promise<ModelVersion> {
    await this.ensureModel(name);
    return this.store.createModelVersion({
      name,
      source,
      ...(options.runId === undefined ? {} : { runId: options.runId }),
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

  /** Every version of `name` (all pages), by ascending version number. */
  async getModelVersions(name: string): Promise<ModelVersion[]> {
    const filter = `name = ${filterString(name)}`;
    const versions = await collectPages(
      (page) => this.store.searchModelVersions({ ...page, filter }),
      LIMITS.defaultSearchModelVersionsResults,
    );
    return versions.filter((v) => v.name === name).sort((a, b) => Number(a.version) - Number(b.version));
  }

  getModelVersion(name: string, version: string): Promise<ModelVersion> {
    return this.store.getModelVersion(name, version);
  }

  /** Moves a version to a stage; with `archiveExisting`, others in Staging/Production are archived. */
  transitionStage(name: string, version: string, stage: ModelStage, archiveExisting = false): Promise<ModelVersion> {
    return this.store.transitionModelVersionStage(name, version, stage, archiveExisting);
  }

  /** Points `alias` at `version` (moving it if it pointed elsewhere). */
  setAlias(name: string, alias: string, version: string): Promise<void> {
    return this.store.setRegisteredModelAlias(name, alias, version);
  }

  getVersionByAlias(name: string, alias: string): Promise<ModelVersion> {
    return this.store.getModelVersionByAlias(name, alias);
  }

  deleteAlias(name: string, alias: string): Promise<void> {
    return this.store.deleteRegisteredModelAlias(name, alias);
  }

  deleteModelVersion(name: string, version: string): Promise<void> {
    return this.store.deleteModelVersion(name, version);
  }

  deleteModel(name: string): Promise<void> {
    return this.store.deleteRegisteredModel(name);
  }

  setModelTag(name: string, key: string, value: string): Promise<void> {
    return this.store.setRegisteredModelTag(name, key, value);
  }

  setVersionTag(name: string, version: string, key: string, value: string): Promise<void> {
    return this.store.setModelVersionTag(name, version, key, value);
  }

  /** Latest version per stage (all four stages when `stages` is absent). */
  getLatestVersions(name: string, stages?: readonly ModelStage[]): Promise<readonly ModelVersion[]> {
    return this.store.getLatestVersions(name, stages);
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
