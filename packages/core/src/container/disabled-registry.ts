import type { Backend } from '../contracts/backend.js';
import type { RegistryStore } from '../contracts/registry-store.js';
import { LogbookError } from '../errors.js';

/**
 * `modelRegistryEnabled: false`: the backend with a registry whose every call rejects with
 * FEATURE_DISABLED naming the option, so `logbook.registry`, `logbook.versioning` and
 * `logbook.stores.registry` say why instead of writing to a registry the config turned off.
 * Closing still closes the real stores.
 */
export function withoutRegistry(backend: Backend): Backend {
  const registry = new Proxy({} as RegistryStore, {
    get(_target, property) {
      if (property === 'close') return () => Promise.resolve();
      if (typeof property !== 'string' || property === 'then') return undefined;
      return () => Promise.reject(disabled(property));
    },
  });
  return {
    tracking: backend.tracking,
    registry,
    artifacts: backend.artifacts,
    ...(backend.syncSource === undefined ? {} : { syncSource: backend.syncSource }),
    close: () => backend.close(),
  };
}

function disabled(operation: string): LogbookError {
  return new LogbookError(
    'FEATURE_DISABLED',
    `[core] The model registry is disabled (modelRegistryEnabled: false, LOGBOOK_MODEL_REGISTRY_ENABLED): ${operation} was not run. Set modelRegistryEnabled to true to use it.`,
    { field: 'modelRegistryEnabled' },
  );
}
