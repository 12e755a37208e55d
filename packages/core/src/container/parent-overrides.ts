import type { DependencyContainer, InjectionToken } from 'tsyringe';
import { ARTIFACT_STORE } from '../contracts/artifact-store.js';
import type { Backend } from '../contracts/backend.js';
import { REGISTRY_STORE } from '../contracts/registry-store.js';
import { TRACKING_STORE } from '../contracts/tracking-store.js';

/** What `parent` registers for `token` (its own parents too), or undefined. */
export function fromParent<T>(parent: DependencyContainer, token: InjectionToken<T>): T | undefined {
  return parent.isRegistered(token, true) ? parent.resolve(token) : undefined;
}

/** True when the parent container provides all three stores: no backend needs to be loaded. */
export function parentHasAllStores(parent: DependencyContainer): boolean {
  return parent.isRegistered(TRACKING_STORE, true) && parent.isRegistered(REGISTRY_STORE, true) && parent.isRegistered(ARTIFACT_STORE, true);
}

/**
 * The backend with each store the parent container registers in place of the backend's own.
 * The parent's stores belong to the parent: closing the logbook does not close them (the
 * backend's own stores are still closed).
 */
export function withParentStores(backend: Backend, parent: DependencyContainer): Backend {
  const tracking = fromParent(parent, TRACKING_STORE);
  const registry = fromParent(parent, REGISTRY_STORE);
  const artifacts = fromParent(parent, ARTIFACT_STORE);
  if (tracking === undefined && registry === undefined && artifacts === undefined) return backend;
  return {
    tracking: tracking ?? backend.tracking,
    registry: registry ?? backend.registry,
    artifacts: artifacts ?? backend.artifacts,
    ...(backend.syncSource === undefined || tracking !== undefined ? {} : { syncSource: backend.syncSource }),
    close: () => backend.close(),
  };
}

/** A backend made only of the parent's stores; closing it closes nothing (the parent owns them). */
export function parentBackend(parent: DependencyContainer): Backend {
  return {
    tracking: parent.resolve(TRACKING_STORE),
    registry: parent.resolve(REGISTRY_STORE),
    artifacts: parent.resolve(ARTIFACT_STORE),
    close: () => Promise.resolve(),
  };
}
