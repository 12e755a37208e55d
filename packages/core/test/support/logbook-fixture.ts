// Builds the services over the in-memory doubles, wired the way createLogbook wires them.
import { container } from 'tsyringe';
import { BatchingLogger, ExperimentTracker, ModelRegistry, ModelVersioning, loadConfig } from '../../src/index.js';
import { ARTIFACT_STORE, BATCHING_LOGGER, ERROR_HANDLER, LOGBOOK_CONFIG, REGISTRY_STORE, TRACKING_STORE } from '../../src/spi.js';
import type { LogbookConfigInput } from '../../src/index.js';
import { MemoryBackend } from './memory-backend.js';

export interface Fixture {
  readonly backend: MemoryBackend;
  readonly tracker: ExperimentTracker;
  readonly registry: ModelRegistry;
  readonly versioning: ModelVersioning;
  readonly metrics: BatchingLogger;
  readonly errors: unknown[];
}

export function servicesOverMemory(input: LogbookConfigInput = {}): Fixture {
  const backend = new MemoryBackend();
  const errors: unknown[] = [];
  const config = loadConfig({ trackingUri: 'memory:test', ...input, logging: { drainOnExit: false, ...input.logging } }, {}, '/nonexistent');
  const onError = (e: unknown): void => {
    errors.push(e);
  };
  const metrics = new BatchingLogger(backend.tracking, { ...config.logging, onError });
  const child = container.createChildContainer();
  child.register(LOGBOOK_CONFIG, { useValue: config });
  child.register(ERROR_HANDLER, { useValue: onError });
  child.register(TRACKING_STORE, { useValue: backend.tracking });
  child.register(REGISTRY_STORE, { useValue: backend.registry });
  child.register(ARTIFACT_STORE, { useValue: backend.artifacts });
  child.register(BATCHING_LOGGER, { useValue: metrics });
  return {
    backend,
    metrics,
    errors,
    tracker: child.resolve(ExperimentTracker),
    registry: child.resolve(ModelRegistry),
    versioning: child.resolve(ModelVersioning),
  };
}
