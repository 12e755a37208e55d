import { LifecycleStage } from '@logbook/core';
import type {
  CreateExperimentInput,
  CreateModelVersionInput,
  CreateRegisteredModelInput,
  CreateRunInput,
  Experiment,
  LogBatch,
  Metric,
  ModelStage,
  ModelVersion,
  Page,
  PageRequest,
  RegisteredModel,
  RegistrySearchQuery,
  Run,
  RunInfo,
  SearchRunsQuery,
  UpdateRunInput,
} from '@logbook/core';
import type { RegistryStore, SearchExperimentsQuery, TrackingStore } from '@logbook/core/spi';
import { Connection } from './connection.js';
import type { StoreContext } from './context.js';
import { retryWhileBusy, SYNC_BUSY_TIMEOUT_MS } from './busy-retry.js';
import { fail, toStoreError } from './errors.js';
import { resolveOptions } from './options.js';
import * as models from './registry/models.js';
import { searchModelVersions, searchRegisteredModels } from './registry/registry-search.js';
import * as versions from './registry/versions.js';
import { checkSchemaVersion, migrate } from './schema/migrate.js';
import { checkReadableSchema } from './schema/readable.js';
import { LATEST_SCHEMA_VERSION } from './schema/migrations.js';
import * as experiments from './tracking/experiments.js';
import { searchExperiments } from './tracking/experiment-search.js';
import { logBatch } from './tracking/log-batch.js';
import { getMetricHistory } from './tracking/metric-history.js';
import { markArtifactsChanged, runUpdateTimes } from './tracking/run-activity.js';
import * as runs from './tracking/runs.js';
import { searchRuns } from './tracking/run-search.js';
import type { ResolvedSqliteOptions, SqliteStoreOptions } from './types.js';

/**
 * The embedded store: MLflow's tracking and registry semantics on one SQLite file (or
 * `':memory:'`). Opening applies pending schema migrations and creates the Default experiment
 * ("0"); a file written by a newer schema is refused untouched (SCHEMA_TOO_NEW). WAL mode: readers
 * never block the writer, several processes may log to one file, and a killed process loses
 * nothing it had committed. While another process holds the write lock, an operation waits on
 * timers (the event loop keeps running) for up to `busyTimeoutMs`, then rejects with a retryable
 * `TEMPORARILY_UNAVAILABLE`; every driver error surfaces as a `LogbookError`.
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
    const path = this.options.path;
    let conn: Connection | undefined;
    try {
      conn = new Connection(this.options);
      const ctx: StoreContext = { conn, options: this.options };
      // Opening an up-to-date file takes no write lock, so it never waits for another process.
      const version = checkSchemaVersion(conn, path);
      if (this.options.readonly) checkReadableSchema(conn, version, LATEST_SCHEMA_VERSION, path);
      conn.configure(this.options.synchronous);
      if (version < LATEST_SCHEMA_VERSION) migrate(conn, this.options.now());
      if (!this.options.readonly && conn.stmt('SELECT 1 FROM experiments WHERE experiment_id = 0').get() === undefined) experiments.ensureDefaultExperiment(ctx);
      conn.limitSyncWait(Math.min(SYNC_BUSY_TIMEOUT_MS, this.options.busyTimeoutMs));
      this.conn = conn;
      this.ctx = ctx;
    } catch (error) {
      conn?.close();
      throw toStoreError(error, path);
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

  /**
   * Runs one store operation: closed check, then {@link retryWhileBusy} (asynchronous back-off
   * while another process holds the lock, up to `busyTimeoutMs`), driver errors made typed.
   */
  private async call<T>(operation: (ctx: StoreContext) => T): Promise<T> {
    return retryWhileBusy(
      () => {
        // Checked on every attempt: the store may be closed while an operation waits for a lock.
        if (!this.conn.isOpen) fail('INVALID_STATE', `The store of ${this.options.path} is closed.`);
        return operation(this.ctx);
      },
      { deadlineMs: this.options.busyTimeoutMs, path: this.options.path },
    );
  }

  /**
   * Resolves when the store could take a write now: takes the write lock and releases it at once,
   * writing nothing. Rejects with `TEMPORARILY_UNAVAILABLE` while another process holds the lock
   * past `busyTimeoutMs`; waits on timers, never blocking the event loop. For health checks.
   */
  async checkWritable(): Promise<void> {
    return this.call((c) => c.conn.write(() => undefined));
  }

  async createExperiment(input: CreateExperimentInput): Promise<string> {
    return this.call((c) => experiments.createExperiment(c, input));
  }
  async getExperiment(experimentId: string): Promise<Experiment> {
    return this.call((c) => experiments.getExperiment(c, experimentId));
  }
  async getExperimentByName(name: string): Promise<Experiment | undefined> {
    return this.call((c) => experiments.getExperimentByName(c, name));
  }
  async searchExperiments(query?: SearchExperimentsQuery): Promise<Page<Experiment>> {
    return this.call((c) => searchExperiments(c, query));
  }
  async renameExperiment(experimentId: string, newName: string): Promise<void> {
    return this.call((c) => experiments.renameExperiment(c, experimentId, newName));
  }
  async deleteExperiment(experimentId: string): Promise<void> {
    return this.call((c) => experiments.setExperimentStage(c, experimentId, LifecycleStage.DELETED));
  }
  async restoreExperiment(experimentId: string): Promise<void> {
    return this.call((c) => experiments.setExperimentStage(c, experimentId, LifecycleStage.ACTIVE));
  }
  async setExperimentTag(experimentId: string, key: string, value: string): Promise<void> {
    return this.call((c) => experiments.setExperimentTag(c, experimentId, key, value));
  }
  async deleteExperimentTag(experimentId: string, key: string): Promise<void> {
    return this.call((c) => experiments.deleteExperimentTag(c, experimentId, key));
  }

  async createRun(input: CreateRunInput): Promise<Run> {
    return this.call((c) => runs.createRun(c, input));
  }
  async getRun(runId: string): Promise<Run> {
    return this.call((c) => runs.getRun(c, runId));
  }
  async updateRun(runId: string, update: UpdateRunInput): Promise<RunInfo> {
    return this.call((c) => runs.updateRun(c, runId, update));
  }
  async deleteRun(runId: string): Promise<void> {
    return this.call((c) => runs.setRunStage(c, runId, LifecycleStage.DELETED));
  }
  async restoreRun(runId: string): Promise<void> {
    return this.call((c) => runs.setRunStage(c, runId, LifecycleStage.ACTIVE));
  }
  async searchRuns(query: SearchRunsQuery): Promise<Page<Run>> {
    return this.call((c) => searchRuns(c, query));
  }
  async logBatch(runId: string, batch: LogBatch): Promise<void> {
    return this.call((c) => logBatch(c, runId, batch));
  }
  async getMetricHistory(runId: string, key: string, page?: PageRequest): Promise<Page<Metric>> {
    return this.call((c) => getMetricHistory(c, runId, key, page));
  }
  /**
   * When each run was last written (creation, logged batches, tags, status), milliseconds since
   * the epoch; unknown ids are left out. Not part of `TrackingStore`: `logbook runs stale` uses it
   * when the store has it, to see activity that metric timestamps (set by the caller) miss.
   */
  async getRunUpdateTimes(runIds: readonly string[]): Promise<ReadonlyMap<string, number>> {
    return this.call((c) => runUpdateTimes(c, runIds));
  }
  /**
   * Marks the run whose artifact root is `artifactUri` changed, so the next sync visits it and
   * sends files written after its last database write (finished runs too). Not part of
   * `TrackingStore`: the SQLite backend's artifact store calls it around every file it writes.
   * A root that is no run's of this database changes nothing.
   */
  async markArtifactsChanged(artifactUri: string): Promise<void> {
    await this.call((c) => markArtifactsChanged(c, artifactUri));
  }
  async setTag(runId: string, key: string, value: string): Promise<void> {
    return this.call((c) => runs.setTag(c, runId, key, value));
  }
  async deleteTag(runId: string, key: string): Promise<void> {
    return this.call((c) => runs.deleteTag(c, runId, key));
  }

  async createRegisteredModel(input: CreateRegisteredModelInput): Promise<RegisteredModel> {
    return this.call((c) => models.createRegisteredModel(c, input));
  }
  async getRegisteredModel(name: string): Promise<RegisteredModel> {
    return this.call((c) => models.getRegisteredModel(c, name));
  }
  async searchRegisteredModels(query?: RegistrySearchQuery): Promise<Page<RegisteredModel>> {
    return this.call((c) => searchRegisteredModels(c, query));
  }
  async updateRegisteredModel(name: string, update: { readonly description?: string }): Promise<RegisteredModel> {
    return this.call((c) => models.updateRegisteredModel(c, name, update.description));
  }
  async renameRegisteredModel(name: string, newName: string): Promise<RegisteredModel> {
    return this.call((c) => models.renameRegisteredModel(c, name, newName));
  }
  async deleteRegisteredModel(name: string): Promise<void> {
    return this.call((c) => models.deleteRegisteredModel(c, name));
  }
  async setRegisteredModelTag(name: string, key: string, value: string): Promise<void> {
    return this.call((c) => models.setRegisteredModelTag(c, name, key, value));
  }
  async deleteRegisteredModelTag(name: string, key: string): Promise<void> {
    return this.call((c) => models.deleteRegisteredModelTag(c, name, key));
  }
  async setRegisteredModelAlias(name: string, alias: string, version: string): Promise<void> {
    return this.call((c) => models.setRegisteredModelAlias(c, name, alias, version));
  }
  async deleteRegisteredModelAlias(name: string, alias: string): Promise<void> {
    return this.call((c) => models.deleteRegisteredModelAlias(c, name, alias));
  }
  async getModelVersionByAlias(name: string, alias: string): Promise<ModelVersion> {
    return this.call((c) => models.getModelVersionByAlias(c, name, alias));
  }
  async getLatestVersions(name: string, stages?: readonly ModelStage[]): Promise<readonly ModelVersion[]> {
    return this.call((c) => models.getLatestVersions(c, name, stages));
  }

  async createModelVersion(input: CreateModelVersionInput): Promise<ModelVersion> {
    return this.call((c) => versions.createModelVersion(c, input));
  }
  async getModelVersion(name: string, version: string): Promise<ModelVersion> {
    return this.call((c) => versions.getModelVersion(c, name, version));
  }
  async searchModelVersions(query?: RegistrySearchQuery): Promise<Page<ModelVersion>> {
    return this.call((c) => searchModelVersions(c, query));
  }
  async updateModelVersion(name: string, version: string, update: { readonly description?: string }): Promise<ModelVersion> {
    return this.call((c) => versions.updateModelVersion(c, name, version, update.description));
  }
  async transitionModelVersionStage(name: string, version: string, stage: ModelStage, archiveExistingVersions: boolean): Promise<ModelVersion> {
    return this.call((c) => versions.transitionModelVersionStage(c, name, version, stage, archiveExistingVersions));
  }
  async deleteModelVersion(name: string, version: string): Promise<void> {
    return this.call((c) => versions.deleteModelVersion(c, name, version));
  }
  async getModelVersionDownloadUri(name: string, version: string): Promise<string> {
    return this.call((c) => versions.getModelVersionDownloadUri(c, name, version));
  }
  async setModelVersionTag(name: string, version: string, key: string, value: string): Promise<void> {
    return this.call((c) => versions.setModelVersionTag(c, name, version, key, value));
  }
  async deleteModelVersionTag(name: string, version: string, key: string): Promise<void> {
    return this.call((c) => versions.deleteModelVersionTag(c, name, version, key));
  }

  /** Closes the database (checkpointing the WAL into the file); idempotent. */
  async close(): Promise<void> {
    this.conn.close();
  }

  /** Same as `close()`: tsyringe's `Disposable`, for containers that dispose what they hold. */
  dispose(): Promise<void> {
    return this.close();
  }
}
