import type { SearchExperimentsQuery, TrackingStore } from '../contracts/tracking-store.js';
import type { DatasetInput } from '../model/dataset-input.js';
import { logDatasetInputs } from '../services/run-inputs.js';
import { LogbookError, isLogbookError } from '../errors.js';
import { classifyFailure } from '../logging/outcome.js';
import { validateRunId } from '../validation/entities.js';
import type { Page, PageRequest } from '../model/common.js';
import type { CreateExperimentInput, Experiment } from '../model/experiment.js';
import type { CreateRunInput, LogBatch, Metric, Run, RunInfo, SearchRunsQuery, UpdateRunInput } from '../model/run.js';
import { STAND_IN_EXPERIMENT_PREFIX, STAND_IN_RUN_NAME, SYNC_STANDS_FOR_TAG } from '../sync/types.js';
import type { SyncSource } from '../sync/types.js';
import type { CircuitBreaker } from './circuit-breaker.js';
import { asCallerRun, asLocalExperiment, isLocalExperimentId, localExperimentId, spoolExperimentId } from './local-ids.js';

const PARENT_TAG = 'mlflow.parentRunId';

/** What {@link SpoolingTrackingStore} is made of. */
export interface SpoolingParts {
  /** The MLflow server's store. */
  readonly primary: TrackingStore;
  /**
   * The spool database's store and change feed (its id map takes the shadow runs' mappings),
   * opened on first use: a logbook whose server never fails creates no spool file.
   */
  readonly open: () => Promise<{ readonly tracking: TrackingStore; readonly source: SyncSource }>;
  /** Id of the server as a sync target. */
  readonly targetId: string;
  readonly breaker: CircuitBreaker;
  /** Called after each write that went to the spool. */
  readonly spooled: () => void;
}

/**
 * The tracking store of a logbook with a spool: calls go to the MLflow server; when it cannot be
 * reached (circuit breaker open, or a retryable failure after the transport's deadline) writes go
 * to the spool instead. A run started while the server is down lives in the spool (a local id);
 * a run created on the server whose writes fail gets a shadow run in the spool (same name, start
 * time, user and tags) mapped to it, so the drainer writes into the existing remote run. Once a
 * run has gone to the spool, all its later writes (end of run included) go there, in order.
 * Experiments created in the spool have ids starting with `spool-`.
 */
export class SpoolingTrackingStore implements TrackingStore {
  private readonly localRuns = new Set<string>();
  private readonly shadows = new Map<string, Promise<string>>();
  /** Remote runs created by this process, with what created them (a shadow copies it). */
  private readonly created = new Map<string, Run>();
  /** Remote experiment id -> name, as seen through this store. */
  private readonly experimentNames = new Map<string, string>();
  /** Artifact root of a spool run (local or shadow) -> its spool id. */
  private readonly spoolRoots = new Map<string, string>();
  /** Artifact root of a server run seen through this store -> its id. */
  private readonly serverRoots = new Map<string, string>();

  constructor(private readonly parts: SpoolingParts) {}

  private async local(): Promise<TrackingStore> {
    return (await this.parts.open()).tracking;
  }

  /**
   * True when writes of `runId` go to the spool without trying the server: the run lives there,
   * or the breaker is open (a server run gets a shadow in the spool, mapped to it).
   */
  takesNow(runId: string): boolean {
    return this.localRuns.has(runId) || this.shadows.has(runId) || this.parts.breaker.isOpen;
  }

  /** True when `runId` is a run of the spool (started here while the server was down). */
  isLocalRun(runId: string): boolean {
    return this.localRuns.has(runId);
  }

  /** True when writes of `runId` went to the spool in this process (a spool run, or a shadowed server run). */
  inSpool(runId: string): boolean {
    return this.localRuns.has(runId) || this.shadows.has(runId);
  }

  /** The spool run whose artifact root is `artifactUri` (a run of the spool), if any. */
  spoolRunOfRoot(artifactUri: string): string | undefined {
    return this.spoolRoots.get(artifactUri);
  }

  /** The spool run whose artifact root holds `uri` (the root itself or a path under it), if any. */
  spoolRunOfSource(uri: string): string | undefined {
    for (const [root, runId] of this.spoolRoots) if (uri === root || uri.startsWith(`${root}/`)) return runId;
    return undefined;
  }

  /** The caller's run whose server artifact root is `artifactUri`, if this store has seen it. */
  serverRunOfRoot(artifactUri: string): string | undefined {
    return this.serverRoots.get(artifactUri);
  }

  /** The spool run standing for caller run `runId` (itself, or its shadow: created on first use). */
  async spoolRun(runId: string, cause?: unknown): Promise<Run> {
    const id = await this.spoolRunId(runId, cause);
    return this.remember(await (await this.local()).getRun(id), true);
  }

  /** Marks a spool run changed, so the next drain visits it (artifacts carry no change counter). */
  async touch(spoolRunId: string): Promise<void> {
    await (await this.local()).updateRun(spoolRunId, {});
  }

  /** Writes a batch of `runId` into the spool (its shadow run when it is a server run). */
  async spoolBatch(runId: string, batch: LogBatch, cause?: unknown): Promise<void> {
    await (await this.local()).logBatch(await this.spoolRunId(runId, cause), batch);
    this.parts.spooled();
  }

  // Experiments

  createExperiment(input: CreateExperimentInput): Promise<string> {
    return this.failover(
      async () => {
        const id = await this.parts.primary.createExperiment(input);
        this.experimentNames.set(id, input.name);
        return id;
      },
      async () => localExperimentId(await (await this.local()).createExperiment(input)),
    );
  }

  getExperimentByName(name: string): Promise<Experiment | undefined> {
    return this.failover(
      async () => {
        const found = await this.parts.primary.getExperimentByName(name);
        if (found !== undefined) this.experimentNames.set(found.experimentId, name);
        return found;
      },
      async () => {
        const found = await (await this.local()).getExperimentByName(name);
        return found === undefined ? undefined : asLocalExperiment(found);
      },
    );
  }

  async getExperiment(experimentId: string): Promise<Experiment> {
    if (!isLocalExperimentId(experimentId)) return this.parts.primary.getExperiment(experimentId);
    return asLocalExperiment(await (await this.local()).getExperiment(spoolExperimentId(experimentId)));
  }

  searchExperiments(query?: SearchExperimentsQuery): Promise<Page<Experiment>> {
    return this.parts.primary.searchExperiments(query);
  }

  renameExperiment(experimentId: string, newName: string): Promise<void> {
    return this.byExperiment(experimentId, (store, id) => store.renameExperiment(id, newName));
  }

  deleteExperiment(experimentId: string): Promise<void> {
    return this.byExperiment(experimentId, (store, id) => store.deleteExperiment(id));
  }

  restoreExperiment(experimentId: string): Promise<void> {
    return this.byExperiment(experimentId, (store, id) => store.restoreExperiment(id));
  }

  setExperimentTag(experimentId: string, key: string, value: string): Promise<void> {
    return this.byExperiment(experimentId, (store, id) => store.setExperimentTag(id, key, value));
  }

  deleteExperimentTag(experimentId: string, key: string): Promise<void> {
    return this.byExperiment(experimentId, (store, id) => store.deleteExperimentTag(id, key));
  }

  // Runs

  async createRun(input: CreateRunInput): Promise<Run> {
    if (isLocalExperimentId(input.experimentId)) return this.createLocalRun({ ...input, experimentId: spoolExperimentId(input.experimentId) });
    return this.failover(
      async () => {
        const run = await this.parts.primary.createRun(input);
        this.created.set(run.info.runId, run);
        return this.remember(run, false);
      },
      async (cause) => {
        const local = await this.localExperimentFor(input.experimentId, cause);
        const run = await this.createLocalRun({ ...input, experimentId: local, tags: await this.localTags(input.tags, cause) });
        return { ...run, info: { ...run.info, experimentId: input.experimentId } };
      },
    );
  }

  /**
   * A run of the spool is read there; a server run from the server, or from its shadow while the
   * server cannot be reached (a run this process started, or one it wrote to while down).
   */
  async getRun(runId: string): Promise<Run> {
    if (this.localRuns.has(runId)) return asCallerRun(await this.spoolRun(runId), runId);
    if (!this.shadows.has(runId) && !this.created.has(runId)) {
      // No copy in the spool: fail at once while the breaker is open (no transport wait).
      if (this.parts.breaker.isOpen) throw unreachable(`the spool holds run ${runId} only once this logbook started it or wrote to it`, undefined);
      return this.serverRun(runId);
    }
    if (!this.shadows.has(runId) && !this.parts.breaker.isOpen) return this.serverRun(runId);
    return this.failover(
      () => this.serverRun(runId),
      async (cause) => asCallerRun(await this.spoolRun(runId, cause), runId, this.created.get(runId)?.info.experimentId),
    );
  }

  private async serverRun(runId: string): Promise<Run> {
    return this.remember(await this.parts.primary.getRun(runId), false);
  }

  /** Records where a run's artifacts live (the artifact store routes by root). */
  private remember(run: Run, inSpool: boolean): Run {
    (inSpool ? this.spoolRoots : this.serverRoots).set(run.info.artifactUri, run.info.runId);
    return run;
  }

  async updateRun(runId: string, update: UpdateRunInput): Promise<RunInfo> {
    const info = await this.write(runId, (store, id) => store.updateRun(id, update));
    return { ...info, runId };
  }

  deleteRun(runId: string): Promise<void> {
    return this.byRun(runId, (store, id) => store.deleteRun(id));
  }

  restoreRun(runId: string): Promise<void> {
    return this.byRun(runId, (store, id) => store.restoreRun(id));
  }

  searchRuns(query: SearchRunsQuery): Promise<Page<Run>> {
    return this.parts.primary.searchRuns(query);
  }

  /**
   * Writes to the server, or to the spool when the run lives there or the breaker is open. A
   * retryable failure opens the breaker and is thrown: the batching logger hands the batch on.
   */
  async logBatch(runId: string, batch: LogBatch): Promise<void> {
    if (this.takesNow(runId)) return this.spoolBatch(runId, batch);
    try {
      await this.parts.primary.logBatch(runId, batch);
    } catch (error) {
      if (classifyFailure(error) === 'retryable') this.parts.breaker.trip(error);
      throw error;
    }
  }

  getMetricHistory(runId: string, key: string, page?: PageRequest): Promise<Page<Metric>> {
    return this.byRun(runId, (store, id) => store.getMetricHistory(id, key, page));
  }

  setTag(runId: string, key: string, value: string): Promise<void> {
    return this.write(runId, (store, id) => store.setTag(id, key, value));
  }

  deleteTag(runId: string, key: string): Promise<void> {
    return this.write(runId, (store, id) => store.deleteTag(id, key));
  }

  /** Native inputs on the server; in the spool, the `logbook.inputs` tag that the drain turns back into inputs. */
  logInputs(runId: string, inputs: readonly DatasetInput[]): Promise<void> {
    return this.write(runId, (store, id) => logDatasetInputs(store, id, inputs));
  }

  /** The parts are closed by their owners. */
  async close(): Promise<void> {}

  // Routing

  /** `call` on the server unless the breaker is open; a retryable failure opens it and falls back. */
  private async failover<T>(call: () => Promise<T>, fallback: (cause: unknown) => Promise<T>): Promise<T> {
    if (this.parts.breaker.isOpen) return fallback(undefined);
    try {
      return await call();
    } catch (error) {
      if (classifyFailure(error) === 'permanent') throw error;
      this.parts.breaker.trip(error);
      return fallback(error);
    }
  }

  /** A write of a run: to the spool when the run is there (or must go there now), else the server. */
  private async write<T>(runId: string, op: (store: TrackingStore, id: string) => Promise<T>): Promise<T> {
    if (!this.takesNow(runId)) {
      try {
        return await op(this.parts.primary, runId);
      } catch (error) {
        if (classifyFailure(error) === 'permanent') throw error;
        this.parts.breaker.trip(error);
        return this.toSpool(runId, op, error);
      }
    }
    return this.toSpool(runId, op, undefined);
  }

  private async toSpool<T>(runId: string, op: (store: TrackingStore, id: string) => Promise<T>, cause: unknown): Promise<T> {
    const result = await op(await this.local(), await this.spoolRunId(runId, cause));
    this.parts.spooled();
    return result;
  }

  private async byRun<T>(runId: string, op: (store: TrackingStore, id: string) => Promise<T>): Promise<T> {
    return this.localRuns.has(runId) ? op(await this.local(), runId) : op(this.parts.primary, runId);
  }

  private async byExperiment<T>(experimentId: string, op: (store: TrackingStore, id: string) => Promise<T>): Promise<T> {
    return isLocalExperimentId(experimentId) ? op(await this.local(), spoolExperimentId(experimentId)) : op(this.parts.primary, experimentId);
  }

  private async createLocalRun(input: CreateRunInput): Promise<Run> {
    const run = this.remember(await (await this.local()).createRun(input), true);
    this.localRuns.add(run.info.runId);
    this.parts.spooled();
    return asCallerRun(run, run.info.runId);
  }

  /** The spool's id for a run: itself when local, else its shadow (created on first use). */
  private spoolRunId(runId: string, cause: unknown): Promise<string> {
    if (this.localRuns.has(runId)) return Promise.resolve(runId);
    let shadow = this.shadows.get(runId);
    if (shadow === undefined) {
      shadow = this.createShadow(runId, cause);
      this.shadows.set(runId, shadow);
      shadow.catch(() => this.shadows.delete(runId));
    }
    return shadow;
  }

  /**
   * A spool run standing for server run `runId`, mapped to it: for a run this process started, with
   * the same name, start time, user and tags; for another server run (resumed by id), a stand-in
   * that only adds to it (see {@link SYNC_STANDS_FOR_TAG}).
   */
  private async createShadow(runId: string, cause: unknown): Promise<string> {
    const remote = this.created.get(runId);
    if (remote === undefined) return this.createStandIn(runId);
    const experimentId = await this.localExperimentFor(remote.info.experimentId, cause);
    const { [PARENT_TAG]: parent, ...tags } = remote.data.tags;
    const { tracking, source } = await this.parts.open();
    const shadow = await tracking.createRun({
      experimentId,
      ...(remote.info.runName === '' ? {} : { runName: remote.info.runName }),
      startTime: remote.info.startTime,
      userId: remote.info.userId,
      tags: { ...tags, ...(parent === undefined ? {} : { [PARENT_TAG]: await this.spoolRunId(parent, cause).catch(() => parent) }) },
    });
    await source.recordMapping(this.parts.targetId, 'run', shadow.info.runId, runId);
    return shadow.info.runId;
  }

  /**
   * A stand-in for a server run this process did not start: its experiment and name are unknown
   * while the server is down, so it lives in a spool experiment of its own that the drainer maps
   * to the run's experiment, and it never re-opens the server run nor renames it unless renamed here.
   */
  private async createStandIn(runId: string): Promise<string> {
    // The id comes from the caller and names a spool experiment: MLflow's run-id rule first.
    validateRunId(runId);
    const { tracking, source } = await this.parts.open();
    const name = `${STAND_IN_EXPERIMENT_PREFIX}${runId}`;
    const tags = { [SYNC_STANDS_FOR_TAG]: runId };
    let experimentId = (await tracking.getExperimentByName(name))?.experimentId;
    if (experimentId === undefined) {
      try {
        experimentId = await tracking.createExperiment({ name, tags });
      } catch (error) {
        if (!isLogbookError(error, 'RESOURCE_ALREADY_EXISTS')) throw error;
        experimentId = (await tracking.getExperimentByName(name))!.experimentId;
      }
    }
    const shadow = await tracking.createRun({ experimentId, runName: STAND_IN_RUN_NAME, tags });
    await source.recordMapping(this.parts.targetId, 'run', shadow.info.runId, runId);
    return shadow.info.runId;
  }

  /** Tags of a run created in the spool: a parent on the server is replaced by its shadow. */
  private async localTags(tags: CreateRunInput['tags'], cause: unknown): Promise<CreateRunInput['tags']> {
    const parent = tags?.[PARENT_TAG];
    if (parent === undefined || this.localRuns.has(parent) || !this.created.has(parent)) return tags;
    return { ...tags, [PARENT_TAG]: await this.spoolRunId(parent, cause) };
  }

  /** The spool experiment standing for server experiment `remoteId` (same name), mapped to it. */
  private async localExperimentFor(remoteId: string, cause: unknown): Promise<string> {
    const name = this.experimentNames.get(remoteId);
    if (name === undefined) throw unreachable(`experiment ${remoteId} is not known to this logbook by name, so the spool cannot stand in for it`, cause);
    const { tracking, source } = await this.parts.open();
    let local = (await tracking.getExperimentByName(name))?.experimentId;
    if (local === undefined) {
      try {
        local = await tracking.createExperiment({ name });
      } catch (error) {
        if (!isLogbookError(error, 'RESOURCE_ALREADY_EXISTS')) throw error;
        local = (await tracking.getExperimentByName(name))!.experimentId;
      }
    }
    await source.recordMapping(this.parts.targetId, 'experiment', local, remoteId);
    return local;
  }
}

function unreachable(why: string, cause: unknown): LogbookError {
  const reason = cause instanceof Error ? `${cause.message}; ` : '';
  return new LogbookError('TEMPORARILY_UNAVAILABLE', `[core] The MLflow server cannot be reached (${reason}${why}).`, { cause });
}
