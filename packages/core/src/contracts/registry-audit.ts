import type { InjectionToken } from 'tsyringe';

/** Where a registry change came from. */
export type RegistryChangeSource = 'library' | 'cli' | 'rest';

/**
 * One change to the model registry: who made it, what, to which model or version, when, and the
 * state before and after (small string facts: `{ stage: 'Staging' }` → `{ stage: 'Production' }`).
 * Library calls, the CLI and the REST router all describe their changes this way.
 */
export interface RegistryChange {
  /** Principal id (`key:ci`, a user name) or the configured default actor. */
  readonly actor: string;
  readonly source: RegistryChangeSource;
  /** e.g. `model.version.transition`, `model.alias.set`, `model.deploy`. */
  readonly action: string;
  /** `model:<name>` or `model:<name>/<version>`. */
  readonly target: string;
  /** ISO 8601 time the change was made. */
  readonly time: string;
  /** The request the change belongs to (REST). */
  readonly requestId?: string;
  /** What the change replaced; absent for a creation. */
  readonly before?: Readonly<Record<string, string>>;
  /** What the change left; absent for a deletion. */
  readonly after?: Readonly<Record<string, string>>;
}

/**
 * Receives every registry change once it is made. `@logbook/koa`'s `AuditLogRegistrySink` writes
 * them into its hash-chained audit log. A sink that rejects makes the call that changed the
 * registry reject (the change is made; the caller learns it went unaudited).
 */
export interface RegistryAuditSink {
  record(change: RegistryChange): Promise<void>;
  /** Called by `logbook.close()` after the stores close, for a sink given to `createLogbook`. */
  close?(): Promise<void>;
}

/** DI token of the {@link RegistryAuditSink} (optional: without one nothing is audited). */
export const REGISTRY_AUDIT_SINK: InjectionToken<RegistryAuditSink> = Symbol.for('logbook.RegistryAuditSink');
