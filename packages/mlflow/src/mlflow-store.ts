import type { CreateModelVersionInput, CreateRegisteredModelInput, LogbookConfig, ModelStage, ModelVersion, Page, RegisteredModel, RegistrySearchQuery } from '@logbook/core';
import type { OperationalLogger, RegistryStore, TrackingStore } from '@logbook/core/spi';
import { HttpTransport } from './http/transport.js';
import type { TransportOptions } from './http/transport.js';
import { RegistryCalls } from './registry-calls.js';
import { TrackingCalls } from './tracking-calls.js';

/** Options of {@link MlflowStore}: where the server is, credentials, retries and TLS. */
export type MlflowStoreOptions = TransportOptions;

/**
 * Tracking and registry over a real MLflow server's REST API (`/api/2.0/mlflow/...`). Errors are
 * LogbookErrors with MLflow's own codes; transient failures are retried like MLflow's Python
 * client. `logBatch` sends one `runs/log-batch` request (MLflow's limits apply, as for any
 * TrackingStore); `logBatchChunked` splits a larger batch into requests within them.
 *
 * @example
 * ```ts
 * const store = new MlflowStore({ trackingUri: 'http://127.0.0.1:5000', credentials: { username, password } });
 * const id = await store.createExperiment({ name: 'survey/unet' });
 * ```
 */
export class MlflowStore extends TrackingCalls implements TrackingStore, RegistryStore {
  /** The HTTP client, shared with an {@link MlflowArtifactStore} for the same server. */
  readonly transport: HttpTransport;
  private readonly registry: RegistryCalls;

  constructor(options: MlflowStoreOptions | HttpTransport) {
    const transport = options instanceof HttpTransport ? options : new HttpTransport(options);
    super(transport);
    this.transport = transport;
    this.registry = new RegistryCalls(transport);
  }

  /** A store for `config.trackingUri` with its credentials and HTTP settings. */
  static fromConfig(config: LogbookConfig, logger?: OperationalLogger): MlflowStore {
    return new MlflowStore({ trackingUri: config.trackingUri, credentials: config.credentials, http: config.http, ...(logger === undefined ? {} : { logger }) });
  }

  /** Closes pooled connections; idempotent. */
  close(): Promise<void> {
    return this.transport.close();
  }

  /** Same as `close()`: tsyringe's `Disposable`, for containers that dispose what they hold. */
  dispose(): Promise<void> {
    return this.close();
  }

  createRegisteredModel(input: CreateRegisteredModelInput): Promise<RegisteredModel> {
    return this.registry.createRegisteredModel(input);
  }
  getRegisteredModel(name: string): Promise<RegisteredModel> {
    return this.registry.getRegisteredModel(name);
  }
  searchRegisteredModels(query?: RegistrySearchQuery): Promise<Page<RegisteredModel>> {
    return this.registry.searchRegisteredModels(query);
  }
  updateRegisteredModel(name: string, update: { readonly description?: string }): Promise<RegisteredModel> {
    return this.registry.updateRegisteredModel(name, update);
  }
  renameRegisteredModel(name: string, newName: string): Promise<RegisteredModel> {
    return this.registry.renameRegisteredModel(name, newName);
  }
  deleteRegisteredModel(name: string): Promise<void> {
    return this.registry.deleteRegisteredModel(name);
  }
  setRegisteredModelTag(name: string, key: string, value: string): Promise<void> {
    return this.registry.setRegisteredModelTag(name, key, value);
  }
  deleteRegisteredModelTag(name: string, key: string): Promise<void> {
    return this.registry.deleteRegisteredModelTag(name, key);
  }
  setRegisteredModelAlias(name: string, alias: string, version: string): Promise<void> {
    return this.registry.setRegisteredModelAlias(name, alias, version);
  }
  deleteRegisteredModelAlias(name: string, alias: string): Promise<void> {
    return this.registry.deleteRegisteredModelAlias(name, alias);
  }
  getModelVersionByAlias(name: string, alias: string): Promise<ModelVersion> {
    return this.registry.getModelVersionByAlias(name, alias);
  }
  getLatestVersions(name: string, stages?: readonly ModelStage[]): Promise<readonly ModelVersion[]> {
    return this.registry.getLatestVersions(name, stages);
  }
  createModelVersion(input: CreateModelVersionInput): Promise<ModelVersion> {
    return this.registry.createModelVersion(input);
  }
  getModelVersion(name: string, version: string): Promise<ModelVersion> {
    return this.registry.getModelVersion(name, version);
  }
  searchModelVersions(query?: RegistrySearchQuery): Promise<Page<ModelVersion>> {
    return this.registry.searchModelVersions(query);
  }
  updateModelVersion(name: string, version: string, update: { readonly description?: string }): Promise<ModelVersion> {
    return this.registry.updateModelVersion(name, version, update);
  }
  transitionModelVersionStage(name: string, version: string, stage: ModelStage, archiveExistingVersions: boolean): Promise<ModelVersion> {
    return this.registry.transitionModelVersionStage(name, version, stage, archiveExistingVersions);
  }
  deleteModelVersion(name: string, version: string): Promise<void> {
    return this.registry.deleteModelVersion(name, version);
  }
  getModelVersionDownloadUri(name: string, version: string): Promise<string> {
    return this.registry.getModelVersionDownloadUri(name, version);
  }
  setModelVersionTag(name: string, version: string, key: string, value: string): Promise<void> {
    return this.registry.setModelVersionTag(name, version, key, value);
  }
  deleteModelVersionTag(name: string, version: string, key: string): Promise<void> {
    return this.registry.deleteModelVersionTag(name, version, key);
  }
}
