import { LifecycleStage } from '@logbook/core';
import type {
  CreateExperimentInput, CreateModelVersionInput, CreateRegisteredModelInput, CreateRunInput, Experiment, LogBatch,
  Metric, ModelStage, ModelVersion, Page, PageRequest, RegisteredModel, RegistrySearchQuery, RegistryStore, Run,
  RunInfo, SearchExperimentsQuery, SearchRunsQuery, TrackingStore, UpdateRunInput,
} from '@logbook/core';
import { Connection } from './connection.js';
import type { StoreContext } from './context.js';
import { fail } from './errors.js';
import { resolveOptions } from './options.js';
import * as models from './registry/models.js';
import { searchModelVersions, searchRegisteredModels } from './registry/registry-search.js';
import * as versions from './registry/versions.js';
import { checkSchemaVersion, migrate } from './schema/migrate.js';
import * as experiments from './tracking/experiments.js';
import { searchExperiments } from './tracking/experiment-search.js';
import { logBatch } from './tracking/log-batch.js';
import { getMetricHistory } from './tracking/metric-history.js';
import * as runs from './tracking/runs.js';
import { searchRuns } from './tracking/run-search.js';
import type { ResolvedSqliteOptions, SqliteStoreOptions } from './types.js';

/**
 * The embedded store: MLflow's tracking and registry semantics on one SQLite file (or
 * `':memory:'`). Opening applies pending schema migrations and creates the Default experiment
 * ("0"); a file written by a newer schema is refused untouched (SCHEMA_TOO_NEW). WAL mode: readers
 * never block the writer, several processes may log to one file, and a killed process loses
 * nothing it had committed.
 *
 * @example
 * ```ts
 * const store = new SqliteStore({ path: './logbook.db' });
 * const run = await store.createRun({ experimentId: '0' });
 * await store.logBatch(run.info.runId, { metrics: [{ key: 'loss', value: 0.3, timestamp: Date.now(), step: 0 }] });
 * await store.close();
 * ```
 */
export class SqliteStore implements TrackingStore, RegistryStore {
  /** The options in force, defaults applied. */
  readonly options: ResolvedSqliteOptions;
  private readonly conn: Connection;
  private readonly ctx: StoreContext;

  constructor(options: SqliteStoreOptions = {}) {
    this.options = resolveOptions(options);
    this.conn = new Connection(this.options);
    try {
      checkSchemaVersion(this.conn, this.options.path);
      this.conn.configure(this.options.synchronous);
      migrate(this.conn, this.options.now());
      this.ctx = { conn: this.conn, options: this.options };
      experiments.ensureDefaultExperiment(this.ctx);
    } catch (error) {
      this.conn.close();
      throw error;
    }
  }

  /** The database file (absolute), or `':memory:'`. */
  get path(): string {
    return this.options.path;
  }

  /** The root `file:` URI of new experiments' artifacts. */
  get artifactRootUri(): string {
    return this.options.artifactRootUri;
  }

  private get c(): StoreContext {
    if (!this.conn.isOpen) fail('INVALID_STATE', `The store of ${this.options.path} is closed.`);
    return this.ctx;
  }

  async createExperiment(input: CreateExperimentInput): Promise<string> {
    return experiments.createExperiment(this.c, input);
  }
  async getExperiment(experimentId: string): Promise<Experiment> {
    return experiments.getExperiment(this.c, experimentId);
  }
  async getExperimentByName(name: string): Promise<Experiment | undefined> {
    return experiments.getExperimentByName(this.c, name);
  }
  async searchExperiments(query?: SearchExperimentsQuery): Promise<Page<Experiment>> {
    return searchExperiments(this.c, query);
  }
  async renameExperiment(experimentId: string, newName: string): Promise<void> {
    experiments.renameExperiment(this.c, experimentId, newName);
  }
  async deleteExperiment(experimentId: string): Promise<void> {
    experiments.setExperimentStage(this.c, experimentId, LifecycleStage.DELETED);
  }
  async restoreExperiment(experimentId: string): Promise<void> {
    experiments.setExperimentStage(this.c, experimentId, LifecycleStage.ACTIVE);
  }
  async setExperimentTag(experimentId: string, key: string, value: string): Promise<void> {
    experiments.setExperimentTag(this.c, experimentId, key, value);
  }
  async deleteExperimentTag(experimentId: string, key: string): Promise<void> {
    experiments.deleteExperimentTag(this.c, experimentId, key);
  }

  async createRun(input: CreateRunInput): Promise<Run> {
    return runs.createRun(this.c, input);
  }
  async getRun(runId: string): Promise<Run> {
    return runs.getRun(this.c, runId);
  }
  async updateRun(runId: string, update: UpdateRunInput): Promise<RunInfo> {
    return runs.updateRun(this.c, runId, update);
  }
  async deleteRun(runId: string): Promise<void> {
    runs.setRunStage(this.c, runId, LifecycleStage.DELETED);
  }
  async restoreRun(runId: string): Promise<void> {
    runs.setRunStage(this.c, runId, LifecycleStage.ACTIVE);
  }
  async searchRuns(query: SearchRunsQuery): Promise<Page<Run>> {
    return searchRuns(this.c, query);
  }
  async logBatch(runId: string, batch: LogBatch): Promise<void> {
    logBatch(this.c, runId, batch);
  }
  async getMetricHistory(runId: string, key: string, page?: PageRequest): Promise<Page<Metric>> {
    return getMetricHistory(this.c, runId, key, page);
  }
  async setTag(runId: string, key: string, value: string): Promise<void> {
    runs.setTag(this.c, runId, key, value);
  }
  async deleteTag(runId: string, key: string): Promise<void> {
    runs.deleteTag(this.c, runId, key);
  }

  async createRegisteredModel(input: CreateRegisteredModelInput): Promise<RegisteredModel> {
    return models.createRegisteredModel(this.c, input);
  }
  async getRegisteredModel(name: string): Promise<RegisteredModel> {
    return models.getRegisteredModel(this.c, name);
  }
  async searchRegisteredModels(query?: RegistrySearchQuery): Promise<Page<RegisteredModel>> {
    return searchRegisteredModels(this.c, query);
  }
  async updateRegisteredModel(name: string, update: { readonly description?: string }): Promise<RegisteredModel> {
    return models.updateRegisteredModel(this.c, name, update.description);
  }
  async renameRegisteredModel(name: string, newName: string): Promise<RegisteredModel> {
    return models.renameRegisteredModel(this.c, name, newName);
  }
  async deleteRegisteredModel(name: string): Promise<void> {
    models.deleteRegisteredModel(this.c, name);
  }
  async setRegisteredModelTag(name: string, key: string, value: string): Promise<void> {
    models.setRegisteredModelTag(this.c, name, key, value);
  }
  async deleteRegisteredModelTag(name: string, key: string): Promise<void> {
    models.deleteRegisteredModelTag(this.c, name, key);
  }
  async setRegisteredModelAlias(name: string, alias: string, version: string): Promise<void> {
    models.setRegisteredModelAlias(this.c, name, alias, version);
  }
  async deleteRegisteredModelAlias(name: string, alias: string): Promise<void> {
    models.deleteRegisteredModelAlias(this.c, name, alias);
  }
  async getModelVersionByAlias(name: string, alias: string): Promise<ModelVersion> {
    return models.getModelVersionByAlias(this.c, name, alias);
  }
  async getLatestVersions(name: string, stages?: readonly ModelStage[]): Promise<readonly ModelVersion[]> {
    return models.getLatestVersions(this.c, name, stages);
  }

  async createModelVersion(input: CreateModelVersionInput): Promise<ModelVersion> {
    return versions.createModelVersion(this.c, input);
  }
  async getModelVersion(name: string, version: string): Promise<ModelVersion> {
    return versions.getModelVersion(this.c, name, version);
  }
  async searchModelVersions(query?: RegistrySearchQuery): Promise<Page<ModelVersion>> {
    return searchModelVersions(this.c, query);
  }
  async updateModelVersion(name: string, version: string, update: { readonly description?: string }): Promise<ModelVersion> {
    return versions.updateModelVersion(this.c, name, version, update.description);
  }
  async transitionModelVersionStage(name: string, version: string, stage: ModelStage, archiveExistingVersions: boolean): Promise<ModelVersion> {
    return versions.transitionModelVersionStage(this.c, name, version, stage, archiveExistingVersions);
  }
  async deleteModelVersion(name: string, version: string): Promise<void> {
    versions.deleteModelVersion(this.c, name, version);
  }
  async getModelVersionDownloadUri(name: string, version: string): Promise<string> {
    return versions.getModelVersionDownloadUri(this.c, name, version);
  }
  async setModelVersionTag(name: string, version: string, key: string, value: string): Promise<void> {
    versions.setModelVersionTag(this.c, name, version, key, value);
  }
  async deleteModelVersionTag(name: string, version: string, key: string): Promise<void> {
    versions.deleteModelVersionTag(this.c, name, version, key);
  }

  /** Closes the database (checkpointing the WAL into the file); idempotent. */
  async close(): Promise<void> {
    this.conn.close();
  }
}
