// An in-memory RegistryStore for core's service tests (a collaborator double, see
// memory-tracking-store.ts).
import { LogbookError, ModelStage, ModelVersionStatus } from '../../src/index.js';
import type {
  CreateModelVersionInput, CreateRegisteredModelInput, ModelVersion, Page, RegisteredModel, RegistrySearchQuery, RegistryStore,
} from '../../src/index.js';

interface StoredModel {
  name: string;
  description?: string;
  tags: Record<string, string>;
  aliases: Record<string, string>;
  versions: Map<string, ModelVersion>;
}

const missing = (what: string): LogbookError => new LogbookError('RESOURCE_DOES_NOT_EXIST', `[memory] ${what} not found`);

export class MemoryRegistryStore implements RegistryStore {
  readonly models = new Map<string, StoredModel>();
  closed = 0;

  async createRegisteredModel(input: CreateRegisteredModelInput): Promise<RegisteredModel> {
    if (this.models.has(input.name)) throw new LogbookError('RESOURCE_ALREADY_EXISTS', `[memory] Registered Model (name=${input.name}) already exists.`);
    this.models.set(input.name, { name: input.name, tags: { ...input.tags }, aliases: {}, versions: new Map(), ...(input.description === undefined ? {} : { description: input.description }) });
    return this.getRegisteredModel(input.name);
  }
  async getRegisteredModel(name: string): Promise<RegisteredModel> {
    const m = this.model(name);
    return { name, creationTimestamp: 0, lastUpdatedTimestamp: 0, latestVersions: [], tags: { ...m.tags }, aliases: { ...m.aliases } };
  }
  async searchRegisteredModels(query: RegistrySearchQuery = {}): Promise<Page<RegisteredModel>> {
    void query;
    return { items: await Promise.all([...this.models.keys()].map((n) => this.getRegisteredModel(n))) };
  }
  async updateRegisteredModel(name: string, update: { readonly description?: string }): Promise<RegisteredModel> {
    Object.assign(this.model(name), update);
    return this.getRegisteredModel(name);
  }
  async renameRegisteredModel(name: string, newName: string): Promise<RegisteredModel> {
    const m = this.model(name);
    this.models.delete(name);
    this.models.set(newName, { ...m, name: newName });
    return this.getRegisteredModel(newName);
  }
  async deleteRegisteredModel(name: string): Promise<void> {
    this.model(name);
    this.models.delete(name);
  }
  async setRegisteredModelTag(name: string, key: string, value: string): Promise<void> {
    this.model(name).tags[key] = value;
  }
  async deleteRegisteredModelTag(name: string, key: string): Promise<void> {
    delete this.model(name).tags[key];
  }
  async setRegisteredModelAlias(name: string, alias: string, version: string): Promise<void> {
    this.version(name, version);
    this.model(name).aliases[alias] = version;
  }
  async deleteRegisteredModelAlias(name: string, alias: string): Promise<void> {
    delete this.model(name).aliases[alias];
  }
  async getModelVersionByAlias(name: string, alias: string): Promise<ModelVersion> {
    const v = this.model(name).aliases[alias];
    if (v === undefined) throw new LogbookError('INVALID_PARAMETER_VALUE', `[memory] Registered model alias ${alias} not found.`);
    return this.version(name, v);
  }
  async getLatestVersions(name: string, stages: readonly ModelStage[] = []): Promise<readonly ModelVersion[]> {
    const wanted = stages.length === 0 ? Object.values(ModelStage) : stages;
    const latest = new Map<ModelStage, ModelVersion>();
    for (const v of this.model(name).versions.values()) {
      if (wanted.includes(v.currentStage)) latest.set(v.currentStage, v);
    }
    return [...latest.values()];
  }
  async createModelVersion(input: CreateModelVersionInput): Promise<ModelVersion> {
    const m = this.model(input.name);
    const version = String(m.versions.size + 1);
    const mv: ModelVersion = {
      name: input.name, version, creationTimestamp: 0, lastUpdatedTimestamp: 0, currentStage: ModelStage.None,
      source: input.source, status: ModelVersionStatus.READY, tags: { ...input.tags }, aliases: [],
      ...(input.runId === undefined ? {} : { runId: input.runId }),
      ...(input.description === undefined ? {} : { description: input.description }),
    };
    m.versions.set(version, mv);
    return mv;
  }
  async getModelVersion(name: string, version: string): Promise<ModelVersion> {
    return this.version(name, version);
  }
  async searchModelVersions(query: RegistrySearchQuery = {}): Promise<Page<ModelVersion>> {
    const name = query.filter === undefined ? undefined : /^name = '(.*)'$/.exec(query.filter)?.[1];
    const all = [...this.models.values()].flatMap((m) => [...m.versions.values()]);
    return { items: all.filter((v) => name === undefined || v.name === name) };
  }
  async updateModelVersion(name: string, version: string, update: { readonly description?: string }): Promise<ModelVersion> {
    return this.replace(name, version, update);
  }
  async transitionModelVersionStage(name: string, version: string, stage: ModelStage, archive: boolean): Promise<ModelVersion> {
    if (archive) {
      for (const v of this.model(name).versions.values()) {
        if (v.version !== version && v.currentStage === stage) this.replace(name, v.version, { currentStage: ModelStage.Archived });
      }
    }
    return this.replace(name, version, { currentStage: stage });
  }
  async deleteModelVersion(name: string, version: string): Promise<void> {
    this.version(name, version);
    this.model(name).versions.delete(version);
  }
  async getModelVersionDownloadUri(name: string, version: string): Promise<string> {
    return this.version(name, version).source;
  }
  async setModelVersionTag(name: string, version: string, key: string, value: string): Promise<void> {
    const v = this.version(name, version);
    this.replace(name, version, { tags: { ...v.tags, [key]: value } });
  }
  async deleteModelVersionTag(name: string, version: string, key: string): Promise<void> {
    const tags = { ...this.version(name, version).tags };
    delete tags[key];
    this.replace(name, version, { tags });
  }
  async close(): Promise<void> {
    this.closed++;
  }

  private model(name: string): StoredModel {
    const m = this.models.get(name);
    if (m === undefined) throw missing(`registered model ${name}`);
    return m;
  }
  private version(name: string, version: string): ModelVersion {
    const v = this.model(name).versions.get(version);
    if (v === undefined) throw missing(`model version ${name}/${version}`);
    return v;
  }
  private replace(name: string, version: string, patch: Partial<ModelVersion>): ModelVersion {
    const next = { ...this.version(name, version), ...patch };
    this.model(name).versions.set(version, next);
    return next;
  }
}
