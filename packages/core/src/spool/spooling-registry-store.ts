import type { ErrorHandler } from '../contracts/logger.js';
import type { RegistryStore } from '../contracts/registry-store.js';
import { LogbookError, isLogbookError } from '../errors.js';
import { report } from '../logging/error-handler.js';
import { isNetworkError } from '../network/network-codes.js';
import type { Page } from '../model/common.js';
import type { ModelStage } from '../model/enums.js';
import type { CreateModelVersionInput, CreateRegisteredModelInput, ModelVersion, RegisteredModel, RegistrySearchQuery } from '../model/registry.js';
import type { CircuitBreaker } from './circuit-breaker.js';
import type { SpoolingTrackingStore } from './spooling-tracking-store.js';

/** What {@link SpoolingRegistryStore} is made of. */
export interface SpoolingRegistryParts {
  /** The MLflow server's registry. */
  readonly primary: RegistryStore;
  readonly tracking: SpoolingTrackingStore;
  readonly breaker: CircuitBreaker;
  /** Drains the spool into the server now; resolves when done. */
  readonly drain: () => Promise<void>;
  /** The server's id of a spool run, once a drain delivered it. */
  readonly remoteRunId: (spoolRunId: string) => Promise<string | undefined>;
  readonly onError: ErrorHandler;
  /** The server, in messages. */
  readonly targetId: string;
}

const RUNS_URI = /^runs:\/([^/]+)(\/.*)?$/;

/**
 * The registry of a logbook with a spool. Registry calls are **not** spooled: the server numbers
 * versions, and the number a call returns is what the caller stages, aliases and deploys next; a
 * spool could only hand out a number of its own that the server may not give (another station
 * registering meanwhile), so replay could not be correct. While the server cannot be reached,
 * each call fails at once (no transport wait) with a retryable `TEMPORARILY_UNAVAILABLE` that also
 * goes to the error handler; the call can be made again when the server answers.
 *
 * A version of a run that lives in the spool (started while the server was down) is registered
 * once the server answers: the spool is drained first, then the run id, and a `runs:/` or
 * artifact-root source, are rewritten to the server's run.
 */
export class SpoolingRegistryStore implements RegistryStore {
  constructor(private readonly parts: SpoolingRegistryParts) {}

  createRegisteredModel(input: CreateRegisteredModelInput): Promise<RegisteredModel> {
    return this.call('createRegisteredModel', (r) => r.createRegisteredModel(input));
  }

  getRegisteredModel(name: string): Promise<RegisteredModel> {
    return this.call('getRegisteredModel', (r) => r.getRegisteredModel(name));
  }

  searchRegisteredModels(query?: RegistrySearchQuery): Promise<Page<RegisteredModel>> {
    return this.call('searchRegisteredModels', (r) => r.searchRegisteredModels(query));
  }

  updateRegisteredModel(name: string, update: { readonly description?: string }): Promise<RegisteredModel> {
    return this.call('updateRegisteredModel', (r) => r.updateRegisteredModel(name, update));
  }

  renameRegisteredModel(name: string, newName: string): Promise<RegisteredModel> {
    return this.call('renameRegisteredModel', (r) => r.renameRegisteredModel(name, newName));
  }

  deleteRegisteredModel(name: string): Promise<void> {
    return this.call('deleteRegisteredModel', (r) => r.deleteRegisteredModel(name));
  }

  setRegisteredModelTag(name: string, key: string, value: string): Promise<void> {
    return this.call('setRegisteredModelTag', (r) => r.setRegisteredModelTag(name, key, value));
  }

  deleteRegisteredModelTag(name: string, key: string): Promise<void> {
    return this.call('deleteRegisteredModelTag', (r) => r.deleteRegisteredModelTag(name, key));
  }

  setRegisteredModelAlias(name: string, alias: string, version: string): Promise<void> {
    return this.call('setRegisteredModelAlias', (r) => r.setRegisteredModelAlias(name, alias, version));
  }

  deleteRegisteredModelAlias(name: string, alias: string): Promise<void> {
    return this.call('deleteRegisteredModelAlias', (r) => r.deleteRegisteredModelAlias(name, alias));
  }

  getModelVersionByAlias(name: string, alias: string): Promise<ModelVersion> {
    return this.call('getModelVersionByAlias', (r) => r.getModelVersionByAlias(name, alias));
  }

  getLatestVersions(name: string, stages?: readonly ModelStage[]): Promise<readonly ModelVersion[]> {
    return this.call('getLatestVersions', (r) => r.getLatestVersions(name, stages));
  }

  async createModelVersion(input: CreateModelVersionInput): Promise<ModelVersion> {
    if (this.parts.breaker.isOpen) throw this.unavailable('createModelVersion', undefined);
    const remote = await this.onServer(input);
    return this.call('createModelVersion', (r) => r.createModelVersion(remote));
  }

  getModelVersion(name: string, version: string): Promise<ModelVersion> {
    return this.call('getModelVersion', (r) => r.getModelVersion(name, version));
  }

  searchModelVersions(query?: RegistrySearchQuery): Promise<Page<ModelVersion>> {
    return this.call('searchModelVersions', (r) => r.searchModelVersions(query));
  }

  updateModelVersion(name: string, version: string, update: { readonly description?: string }): Promise<ModelVersion> {
    return this.call('updateModelVersion', (r) => r.updateModelVersion(name, version, update));
  }

  transitionModelVersionStage(name: string, version: string, stage: ModelStage, archiveExistingVersions: boolean): Promise<ModelVersion> {
    return this.call('transitionModelVersionStage', (r) => r.transitionModelVersionStage(name, version, stage, archiveExistingVersions));
  }

  deleteModelVersion(name: string, version: string): Promise<void> {
    return this.call('deleteModelVersion', (r) => r.deleteModelVersion(name, version));
  }

  getModelVersionDownloadUri(name: string, version: string): Promise<string> {
    return this.call('getModelVersionDownloadUri', (r) => r.getModelVersionDownloadUri(name, version));
  }

  setModelVersionTag(name: string, version: string, key: string, value: string): Promise<void> {
    return this.call('setModelVersionTag', (r) => r.setModelVersionTag(name, version, key, value));
  }

  deleteModelVersionTag(name: string, version: string, key: string): Promise<void> {
    return this.call('deleteModelVersionTag', (r) => r.deleteModelVersionTag(name, version, key));
  }

  /** The parts are closed by their owners. */
  async close(): Promise<void> {}

  /** The input with a spool run's id and source rewritten to the server's run (drained first). */
  private async onServer(input: CreateModelVersionInput): Promise<CreateModelVersionInput> {
    const { tracking } = this.parts;
    const runId = input.runId ?? RUNS_URI.exec(input.source)?.[1] ?? tracking.spoolRunOfSource(input.source);
    if (runId === undefined || !tracking.inSpool(runId)) return input;
    // Its spooled writes (artifacts too) reach the server before a version points at them.
    await this.parts.drain();
    if (!tracking.isLocalRun(runId)) return input;
    const spoolRun = await tracking.spoolRun(runId);
    const remoteId = await this.parts.remoteRunId(runId);
    if (remoteId === undefined) {
      const error = new LogbookError('TEMPORARILY_UNAVAILABLE', `[core] Run ${runId} is in the spool and has not reached ${this.parts.targetId} yet; register its model again once it is drained.`, {
        field: 'runId',
        unsent: true,
      });
      report(this.parts.onError, error, { operation: 'registry.createModelVersion' });
      throw error;
    }
    const runs = RUNS_URI.exec(input.source);
    let source = input.source;
    if (runs?.[1] === runId) source = `runs:/${remoteId}${runs[2] ?? ''}`;
    else if (source.startsWith(spoolRun.info.artifactUri)) {
      source = (await tracking.getRun(remoteId)).info.artifactUri + source.slice(spoolRun.info.artifactUri.length);
    }
    return { ...input, runId: remoteId, source };
  }

  /**
   * Fails fast while the breaker is open; a server that cannot be reached (a network error, or
   * TEMPORARILY_UNAVAILABLE after the transport's deadline) opens it. Both are reported. Other
   * failures (the server answered: a 4xx, a 500) are the caller's, unchanged.
   */
  private async call<T>(operation: string, op: (registry: RegistryStore) => Promise<T>): Promise<T> {
    if (this.parts.breaker.isOpen) throw this.unavailable(operation, undefined);
    try {
      return await op(this.parts.primary);
    } catch (error) {
      if (!isNetworkError(error) && !isLogbookError(error, 'TEMPORARILY_UNAVAILABLE')) throw error;
      this.parts.breaker.trip(error);
      throw this.unavailable(operation, error);
    }
  }

  /** `cause` undefined: the breaker was open and nothing was sent. */
  private unavailable(operation: string, cause: unknown): LogbookError {
    const why = cause instanceof Error ? ` (${cause.message})` : '';
    const error = new LogbookError(
      'TEMPORARILY_UNAVAILABLE',
      `[core] The model registry of ${this.parts.targetId} cannot be reached${why}; registry calls are not spooled (the server numbers versions): call ${operation} again when it answers.`,
      cause === undefined ? { unsent: true } : { cause, unsent: cause instanceof LogbookError && cause.unsent },
    );
    report(this.parts.onError, error, { operation: `registry.${operation}` });
    return error;
  }
}
