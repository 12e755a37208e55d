import { AsyncLocalStorage } from 'node:async_hooks';
import type { RegistryChangeSource } from '../contracts/registry-audit.js';

/** Who is acting, for the registry changes made inside {@link withRegistryAuditContext}. */
export interface RegistryAuditContext {
  readonly actor?: string;
  readonly source?: RegistryChangeSource;
  readonly requestId?: string;
}

const storage = new AsyncLocalStorage<RegistryAuditContext>();

/**
 * Runs `fn` with `context` naming the actor (and source, request id) of every registry change it
 * makes, through any number of awaits. The REST router runs each request in one; the CLI its
 * command. Nested contexts override the fields they set.
 *
 * @example
 * ```ts
 * await withRegistryAuditContext({ actor: 'alice' }, () => logbook.registry.transitionModelStage('unet', '3', 'Production'));
 * ```
 */
export function withRegistryAuditContext<T>(context: RegistryAuditContext, fn: () => T): T {
  return storage.run({ ...storage.getStore(), ...context }, fn);
}

/** The context of the running call, or `undefined` outside any. */
export function currentRegistryAuditContext(): RegistryAuditContext | undefined {
  return storage.getStore();
}
