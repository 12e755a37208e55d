import type { RegistryAuditSink, RegistryChange, RegistryChangeSource } from '../contracts/registry-audit.js';
import type { RegistryStore } from '../contracts/registry-store.js';
import { isLogbookError } from '../errors.js';
import type { ModelStage } from '../model/enums.js';
import type { CreateModelVersionInput, CreateRegisteredModelInput, ModelVersion, RegisteredModel } from '../model/registry.js';
import { currentRegistryAuditContext } from './audit-context.js';

/** Options of {@link auditedRegistryStore}. */
export interface RegistryAuditOptions {
  /** Actor of changes made outside any {@link withRegistryAuditContext} naming one. @default 'library' */
  readonly actor?: string;
  /** Source of changes made outside any context naming one. @default 'library' */
  readonly source?: RegistryChangeSource;
  /** @default Date.now */
  readonly now?: () => number;
}

/** A change before the actor, source and time are filled in. */
export type RegistryChangeFacts = Pick<RegistryChange, 'action' | 'target' | 'before' | 'after'>;

/** Records changes with the actor of the running context; what {@link registryAuditorOf} returns. */
export interface RegistryAuditor {
  /** `fallbackActor` names the actor when no context does (e.g. a deployment's `by`). */
  record(facts: RegistryChangeFacts, fallbackActor?: string): Promise<void>;
}

const AUDITOR = Symbol.for('logbook.registryAuditor');

/** The auditor of a store made by {@link auditedRegistryStore}, or `undefined` for any other. */
export function registryAuditorOf(store: RegistryStore): RegistryAuditor | undefined {
  return (store as { [AUDITOR]?: RegistryAuditor })[AUDITOR];
}

type Facts = Readonly<Record<string, string>>;

const versionTarget = (name: string, version: string): string => `model:${name}/${version}`;
const versionFacts = (v: ModelVersion): Facts => ({ version: v.version, stage: v.currentStage, source: v.source, ...(v.runId ? { runId: v.runId } : {}) });
const modelFacts = (m: RegisteredModel): Facts => ({ name: m.name, ...(m.description === undefined ? {} : { description: m.description }) });

/** The value held under `key`, or undefined when the entity or the key is missing. */
async function orUndefined<T>(read: () => Promise<T>): Promise<T | undefined> {
  try {
    return await read();
  } catch (error) {
    if (isLogbookError(error, 'RESOURCE_DOES_NOT_EXIST') || isLogbookError(error, 'INVALID_PARAMETER_VALUE')) return undefined;
    throw error;
  }
}

const tagFacts = (key: string, value: string | undefined): Facts | undefined => (value === undefined ? undefined : { [`tag.${key}`]: value });

/**
 * `store` with every change (models, versions, stages, tags, aliases) reported to `sink` once it
 * is made: who (the running {@link withRegistryAuditContext}'s actor, else `options.actor`), what,
 * which model or version, when, and the state before and after, read from `store` around the
 * change. Reads pass through untouched. Wrapping an audited store again returns it as it is, so
 * a change is recorded once however many layers (library, REST router) see it.
 *
 * @example
 * ```ts
 * const registry = new ModelRegistry(auditedRegistryStore(store, new AuditLogRegistrySink(auditLog), { actor: 'ci' }));
 * ```
 */
export function auditedRegistryStore(store: RegistryStore, sink: RegistryAuditSink, options: RegistryAuditOptions = {}): RegistryStore {
  if (registryAuditorOf(store) !== undefined) return store;
  const now = options.now ?? Date.now;
  const auditor: RegistryAuditor = {
    async record(facts, fallbackActor) {
      const context = currentRegistryAuditContext();
      const change: RegistryChange = {
        ...facts,
        actor: context?.actor ?? fallbackActor ?? options.actor ?? 'library',
        source: context?.source ?? options.source ?? 'library',
        time: new Date(now()).toISOString(),
        ...(context?.requestId === undefined ? {} : { requestId: context.requestId }),
      };
      await sink.record(change);
    },
  };
  const record = (action: string, target: string, before: Facts | undefined, after: Facts | undefined): Promise<void> =>
    auditor.record({ action, target, ...(before === undefined ? {} : { before }), ...(after === undefined ? {} : { after }) });
  const versionTag = async (name: string, version: string, key: string) => (await orUndefined(() => store.getModelVersion(name, version)))?.tags[key];
  const modelTag = async (name: string, key: string) => (await orUndefined(() => store.getRegisteredModel(name)))?.tags[key];
  const aliasVersion = async (name: string, alias: string) => (await orUndefined(() => store.getModelVersionByAlias(name, alias)))?.version;

  const changes: Partial<RegistryStore> = {
    async createRegisteredModel(input: CreateRegisteredModelInput) {
      const created = await store.createRegisteredModel(input);
      await record('model.create', `model:${created.name}`, undefined, modelFacts(created));
      return created;
    },
    async updateRegisteredModel(name, update) {
      const before = await store.getRegisteredModel(name);
      const after = await store.updateRegisteredModel(name, update);
      await record('model.update', `model:${name}`, modelFacts(before), modelFacts(after));
      return after;
    },
    async renameRegisteredModel(name, newName) {
      const renamed = await store.renameRegisteredModel(name, newName);
      await record('model.rename', `model:${name}`, { name }, { name: renamed.name });
      return renamed;
    },
    async deleteRegisteredModel(name) {
      const before = await store.getRegisteredModel(name);
      await store.deleteRegisteredModel(name);
      await record('model.delete', `model:${name}`, modelFacts(before), undefined);
    },
    async setRegisteredModelTag(name, key, value) {
      const before = await modelTag(name, key);
      await store.setRegisteredModelTag(name, key, value);
      await record('model.tag.set', `model:${name}`, tagFacts(key, before), { [`tag.${key}`]: value });
    },
    async deleteRegisteredModelTag(name, key) {
      const before = await modelTag(name, key);
      await store.deleteRegisteredModelTag(name, key);
      await record('model.tag.delete', `model:${name}`, tagFacts(key, before), undefined);
    },
    async setRegisteredModelAlias(name, alias, version) {
      const before = await aliasVersion(name, alias);
      await store.setRegisteredModelAlias(name, alias, version);
      await record('model.alias.set', `model:${name}`, before === undefined ? undefined : { alias, version: before }, { alias, version });
    },
    async deleteRegisteredModelAlias(name, alias) {
      const before = await aliasVersion(name, alias);
      await store.deleteRegisteredModelAlias(name, alias);
      await record('model.alias.delete', `model:${name}`, before === undefined ? undefined : { alias, version: before }, undefined);
    },
    async createModelVersion(input: CreateModelVersionInput) {
      const created = await store.createModelVersion(input);
      await record('model.version.create', versionTarget(created.name, created.version), undefined, versionFacts(created));
      return created;
    },
    async updateModelVersion(name, version, update) {
      const before = await store.getModelVersion(name, version);
      const after = await store.updateModelVersion(name, version, update);
      await record('model.version.update', versionTarget(name, version), { description: before.description ?? '' }, { description: after.description ?? '' });
      return after;
    },
    async transitionModelVersionStage(name: string, version: string, stage: ModelStage, archiveExistingVersions: boolean) {
      const before = await store.getModelVersion(name, version);
      const after = await store.transitionModelVersionStage(name, version, stage, archiveExistingVersions);
      await record(
        'model.version.transition',
        versionTarget(name, version),
        { stage: before.currentStage },
        {
          stage: after.currentStage,
          ...(archiveExistingVersions ? { archiveExisting: 'true' } : {}),
        },
      );
      return after;
    },
    async deleteModelVersion(name, version) {
      const before = await store.getModelVersion(name, version);
      await store.deleteModelVersion(name, version);
      await record('model.version.delete', versionTarget(name, version), versionFacts(before), undefined);
    },
    async setModelVersionTag(name, version, key, value) {
      const before = await versionTag(name, version, key);
      await store.setModelVersionTag(name, version, key, value);
      await record('model.version.tag.set', versionTarget(name, version), tagFacts(key, before), { [`tag.${key}`]: value });
    },
    async deleteModelVersionTag(name, version, key) {
      const before = await versionTag(name, version, key);
      await store.deleteModelVersionTag(name, version, key);
      await record('model.version.tag.delete', versionTarget(name, version), tagFacts(key, before), undefined);
    },
  };
  return new Proxy(store, {
    get(target, property) {
      if (property === AUDITOR) return auditor;
      const change = (changes as Record<PropertyKey, unknown>)[property];
      if (change !== undefined) return change;
      const value = Reflect.get(target, property) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}
