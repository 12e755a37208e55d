import { composeBackend } from '@logbook/core/spi';
import type { LogbookConfig } from '@logbook/core';
import type { Backend, BackendContext, BackendProvider, OperationalLogger } from '@logbook/core/spi';
import { MlflowArtifactStore } from './artifacts/mlflow-artifact-store.js';
import { MlflowStore } from './mlflow-store.js';

const isHttp = (uri: string) => /^https?:\/\//i.test(uri);

/**
 * Builds the stores for an `http(s)://` tracking URI: one {@link MlflowStore} (a second one when
 * `registryUri` names another server) and an {@link MlflowArtifactStore} sharing its connections.
 * `context.callDeadlineMs` (a spool standing behind it) caps `http.deadlineMs`.
 */
export async function createMlflowBackend(given: LogbookConfig, logger: OperationalLogger, context?: BackendContext): Promise<Backend> {
  const log = logger.child({ backend: 'mlflow' });
  const cap = context?.callDeadlineMs;
  const config = cap === undefined ? given : { ...given, http: { ...given.http, deadlineMs: Math.min(given.http.deadlineMs, cap) } };
  const tracking = MlflowStore.fromConfig(config, log);
  const registry =
    config.registryUri !== undefined && isHttp(config.registryUri) && config.registryUri !== config.trackingUri
      ? MlflowStore.fromConfig({ ...config, trackingUri: config.registryUri }, log)
      : tracking;
  const artifacts = new MlflowArtifactStore(tracking.transport, { maxArtifactSize: config.maxArtifactSize });
  return composeBackend({ tracking, registry, artifacts });
}

/** The plug-in `@logbook/mlflow` registers on import: it serves `http:` and `https:` tracking URIs. */
export const mlflowBackend: BackendProvider = {
  name: 'mlflow',
  handles: isHttp,
  create: createMlflowBackend,
};
