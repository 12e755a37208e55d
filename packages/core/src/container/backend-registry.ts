import type { BackendProvider } from '../contracts/backend.js';
import { isMemoryUri, memoryBackendProvider } from '../memory/memory-backend.js';
import { pluginList, removePlugin, upsertPlugin } from './plugin-list.js';

function providers(): BackendProvider[] {
  return pluginList<BackendProvider>('logbook.backendProviders');
}

/**
 * Makes a backend available to `createLogbook`. Backend packages call it when imported
 * (`@logbook/sqlite` for `sqlite:` URIs, `.db` paths and `:memory:`; `@logbook/mlflow` for
 * `http(s):`). A provider registered again under the same name replaces the earlier one; the
 * latest registration wins when several handle a URI.
 *
 * @example
 * ```ts
 * registerBackend({ name: 'memory', handles: (uri) => uri.startsWith('memory:'), create: async () => backend });
 * ```
 */
export function registerBackend(provider: BackendProvider): void {
  upsertPlugin(providers(), provider);
}

/** Removes a provider by name (tests, plug-in reloads). @returns whether one was removed. */
export function unregisterBackend(name: string): boolean {
  return removePlugin(providers(), name);
}

/**
 * The provider that serves `trackingUri`, latest registration first; `memory:` URIs fall back to
 * core's own memory backend when no registered provider claims them.
 */
export function findBackend(trackingUri: string): BackendProvider | undefined {
  const list = providers();
  for (let i = list.length - 1; i >= 0; i--) if (list[i]!.handles(trackingUri)) return list[i];
  return isMemoryUri(trackingUri) ? memoryBackendProvider : undefined;
}

/** Names of the registered providers, oldest first. */
export function registeredBackends(): string[] {
  return providers().map((p) => p.name);
}
