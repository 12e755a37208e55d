import type { RegistryStore } from '../contracts/registry-store.js';
import type { SearchExperimentsQuery, TrackingStore } from '../contracts/tracking-store.js';
import type { Page, PageRequest } from '../model/common.js';
import { LifecycleStage } from '../model/enums.js';
import type { ModelStage } from '../model/enums.js';
import type { CreateExperimentInput, Experiment } from '../model/experiment.js';
import type { CreateModelVersionInput, CreateRegisteredModelInput, ModelVersion, RegisteredModel, RegistrySearchQuery } from '../model/registry.js';
import type { CreateRunInput, LogBatch, Metric, Run, RunInfo, SearchRunsQuery, UpdateRunInput } from '../model/run.js';
import { validateRegistryTag } from '../validation/entities.js';
import { fail } from './memory-errors.js';
import * as experiments from './memory-experiments.js';
import { metricHistory } from './memory-metrics.js';
import * as models from './memory-models.js';
import { resolveMemoryOptions } from './memory-options.js';
import type { MemoryStoreOptions, ResolvedMemoryOptions } from './memory-options.js';
import { storedModel, storedVersion, toModelVersion, toRegisteredModel } from './memory-registry-rows.js';
import * as runs from './memory-runs.js';
import type { MemoryState } from './memory-state.js';
import * as versions from './memory-versions.js';

/**
 * Tracking and registry in memory, with MLflow's semantics (params write-once, tags upserted,
 * duplicate metric points ignored, latest metric per key, soft delete, page tokens, MLflow's
 * search grammar, registry stages and aliases). It passes the same `@logbook/testkit` conformance
 * suites as the SQLite and MLflow stores and does no I/O: what your own unit tests use in place
 * of a real store. `createLogbook({ trackingUri: 'memory:' })`
 * builds one with a {@link MemoryArtifactStore}.
 *
 * Every read returns a copy: changing a returned object never changes the store.
 *
 * @example
 * ```ts
 * const store = new MemoryStore();
 * const run = await store.createRun({ experimentId: '0' });
 * await store.logBatch(run.info.runId, { metrics: [{ key: 'loss', value: 0.3, timestamp: Date.now(), step: 0 }] });
 * (await store.getRun(run.info.runId)).data.metrics; // [{ key: 'loss', value: 0.3, … }]
 * ```
 */
export class MemoryStore implements TrackingStore, RegistryStore {
  /** The options in force, defaults applied. */
  readonly options: ResolvedMemoryOptions;
  /** Everything the store holds; subclasses (test helpers) may look inside. @hidden */
  protected readonly state: MemoryState;
  #closed = false;

  constructor(options: MemoryStoreOptions = {}) {
    this.options = resolveMemoryOptions(options);
    this.state = { options: this.options, experiments: new Map(), runs: new Map(), models: new Map(), nextExperimentId: 0, runCount: 0 };
    // MLflow's "Default" experiment, id 0.
    experiments.createExperiment(this.state, { name: 'Default' });
  }

  /** Runs one operation on the state, refused once the store is closed. */
  private async call<T>(operation: (state: MemoryState) => T): Promise<T> {
    if (this.#closed) fail('INVALID_STATE', 'The memory store is closed.');
    return operation(this.state);
  }

  async createExperiment(input: CreateExperimentInput): Promise<string> {
    return this.call((s) => experiments.createExperiment(s, input));
  }
  async getExperiment(experimentId: string): Promise<Experiment> {
    return this.call((s) => experiments.toExperiment(experiments.storedExperiment(s, experimentId)));
  }
  async getExperimentByName(name: string): Promise<Experiment | undefined> {
    return this.call((s) => experiments.getExperimentByName(s, name));
  }
  async searchExperiments(query?: SearchExperimentsQuery): Promise<Page<Experiment>> {
    return this.call((s) => experiments.searchExperiments(s, query));
  }
  async renameExperiment(experimentId: string, newName: string): Promise<void> {
    return this.call((s) => experiments.renameExperiment(s, experimentId, newName));
  }
  async deleteExperiment(experimentId: string): Promise<void> {
    return this.call((s) => experiments.setExperimentStage(s, experimentId, LifecycleStage.DELETED));
  }
  async restoreExperiment(experimentId: string): Promise<void> {
    return this.call((s) => experiments.setExperimentStage(s, experimentId, LifecycleStage.ACTIVE));
  }
  async setExperimentTag(experimentId: string, key: string, value: string): Promise<void> {
    return this.call((s) => experiments.setExperimentTag(s, experimentId, key, value));
  }
  async deleteExperimentTag(experimentId: string, key: string): Promise<void> {
    return this.call((s) => experiments.deleteExperimentTag(s, experimentId, key));
  }

  async createRun(input: CreateRunInput): Promise<Run> {
    return this.call((s) => runs.createRun(s, input));
  }
  async getRun(runId: string): Promise<Run> {
    return this.call((s) => runs.toRun(runs.storedRun(s, runId)));
  }
  async updateRun(runId: string, update: UpdateRunInput): Promise<RunInfo> {
    return this.call((s) => runs.updateRun(s, runId, update));
  }
  async deleteRun(runId: string): Promise<void> {
    return this.call((s) => runs.setRunStage(s, runId, LifecycleStage.DELETED));
  }
  async restoreRun(runId: string): Promise<void> {
    return this.call((s) => runs.setRunStage(s, runId, LifecycleStage.ACTIVE));
  }
  async searchRuns(query: SearchRunsQuery): Promise<Page<Run>> {
    return this.call((s) => runs.searchRuns(s, query));
  }
  async logBatch(runId: string, batch: LogBatch): Promise<void> {
    return this.call((s) => runs.logBatch(s, runId, batch));
  }
  async getMetricHistory(runId: string, key: string, page?: PageRequest): Promise<Page<Metric>> {
    return this.call((s) => metricHistory(runs.storedRun(s, runId), key, page));
  }
  async setTag(runId: string, key: string, value: string): Promise<void> {
    return this.call((s) => runs.setTag(s, runId, key, value));
  }
  async deleteTag(runId: string, key: string): Promise<void> {
    return this.call((s) => runs.deleteTag(s, runId, key));
  }
  /** Always writable while open. */
  async checkWritable(): Promise<void> {
    return this.call(() => undefined);
  }

  async createRegisteredModel(input: CreateRegisteredModelInput): Promise<RegisteredModel> {
    return this.call((s) => models.createRegisteredModel(s, input));
  }
  async getRegisteredModel(name: string): Promise<RegisteredModel> {
    return this.call((s) => toRegisteredModel(storedModel(s, name)));
  }
  async searchRegisteredModels(query?: RegistrySearchQuery): Promise<Page<RegisteredModel>> {
    return this.call((s) => models.searchRegisteredModels(s, query));
  }
  async updateRegisteredModel(name: string, update: { readonly description?: string }): Promise<RegisteredModel> {
    return this.call((s) => models.updateRegisteredModel(s, name, update.description));
  }
  async renameRegisteredModel(name: string, newName: string): Promise<RegisteredModel> {
    return this.call((s) => models.renameRegisteredModel(s, name, newName));
  }
  async deleteRegisteredModel(name: string): Promise<void> {
    return this.call((s) => void s.models.delete(storedModel(s, name).name));
  }
  async setRegisteredModelTag(name: string, key: string, value: string): Promise<void> {
    return this.call((s) => {
      validateRegistryTag(key, value);
      storedModel(s, name).tags.set(key, value);
    });
  }
  /** An absent tag is not an error (MLflow). */
  async deleteRegisteredModelTag(name: string, key: string): Promise<void> {
    return this.call((s) => void storedModel(s, name).tags.delete(key));
  }
  async setRegisteredModelAlias(name: string, alias: string, version: string): Promise<void> {
    return this.call((s) => models.setRegisteredModelAlias(s, name, alias, version));
  }
  /** The model must exist; an absent alias is not an error. */
  async deleteRegisteredModelAlias(name: string, alias: string): Promise<void> {
    return this.call((s) => void storedModel(s, name).aliases.delete(alias));
  }
  async getModelVersionByAlias(name: string, alias: string): Promise<ModelVersion> {
    return this.call((s) => models.getModelVersionByAlias(s, name, alias));
  }
  async getLatestVersions(name: string, stages?: readonly ModelStage[]): Promise<readonly ModelVersion[]> {
    return this.call((s) => models.getLatestVersions(s, name, stages));
  }

  async createModelVersion(input: CreateModelVersionInput): Promise<ModelVersion> {
    return this.call((s) => versions.createModelVersion(s, input));
  }
  async getModelVersion(name: string, version: string): Promise<ModelVersion> {
    return this.call((s) => {
      const found = storedVersion(s, name, version);
      return toModelVersion(found.model, found.version);
    });
  }
  async searchModelVersions(query?: RegistrySearchQuery): Promise<Page<ModelVersion>> {
    return this.call((s) => versions.searchModelVersions(s, query));
  }
  async updateModelVersion(name: string, version: string, update: { readonly description?: string }): Promise<ModelVersion> {
    return this.call((s) => versions.updateModelVersion(s, name, version, update.description));
  }
  async transitionModelVersionStage(name: string, version: string, stage: ModelStage, archiveExistingVersions: boolean): Promise<ModelVersion> {
    return this.call((s) => versions.transitionModelVersionStage(s, name, version, stage, archiveExistingVersions));
  }
  async deleteModelVersion(name: string, version: string): Promise<void> {
    return this.call((s) => versions.deleteModelVersion(s, name, version));
  }
  /** The version's source. */
  async getModelVersionDownloadUri(name: string, version: string): Promise<string> {
    return this.call((s) => storedVersion(s, name, version).version.source);
  }
  async setModelVersionTag(name: string, version: string, key: string, value: string): Promise<void> {
    return this.call((s) => versions.setModelVersionTag(s, name, version, key, value));
  }
  /** An absent tag is not an error. */
  async deleteModelVersionTag(name: string, version: string, key: string): Promise<void> {
    return this.call((s) => void storedVersion(s, name, version).version.tags.delete(key));
  }

  /** Later calls are INVALID_STATE. Idempotent. */
  async close(): Promise<void> {
    this.#closed = true;
  }

  /** Same as `close()`: tsyringe's `Disposable`, for containers that dispose what they hold. */
  dispose(): Promise<void> {
    return this.close();
  }
}
