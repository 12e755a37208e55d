import { badConfig, coerce } from './coerce.js';
import { fieldSpec } from './fields.js';
import { ownerOfVariable, registeredConfigSections } from './sections.js';
import type { ConfigLayer } from './layer.js';

/** One environment variable and the key it sets. `scale` converts units (MLflow uses seconds). */
export interface EnvBinding {
  readonly name: string;
  readonly key: string;
  readonly scale?: number;
}

/**
 * The environment variables of core's own keys, in priority order: for one key, the first
 * variable that is set wins, so `LOGBOOK_*` beats MLflow's own names. Registered config sections
 * (`registerConfigSection`) add theirs.
 */
export const ENV_BINDINGS: readonly EnvBinding[] = [
  { name: 'LOGBOOK_ENV', key: 'environment' },
  { name: 'LOGBOOK_TRACKING_URI', key: 'trackingUri' },
  { name: 'MLFLOW_TRACKING_URI', key: 'trackingUri' },
  { name: 'LOGBOOK_REGISTRY_URI', key: 'registryUri' },
  { name: 'MLFLOW_REGISTRY_URI', key: 'registryUri' },
  { name: 'LOGBOOK_ARTIFACT_ROOT', key: 'artifactRoot' },
  { name: 'LOGBOOK_AUTHENTICATION_ENABLED', key: 'authenticationEnabled' },
  { name: 'LOGBOOK_MODEL_REGISTRY_ENABLED', key: 'modelRegistryEnabled' },
  { name: 'LOGBOOK_AUDIT_LOG', key: 'auditLog' },
  { name: 'LOGBOOK_AUDIT_KEY', key: 'auditKey' },
  { name: 'LOGBOOK_EXPERIMENT_AUTO_LOGGING', key: 'experimentAutoLogging' },
  { name: 'LOGBOOK_ARTIFACT_COMPRESSION', key: 'artifactCompression' },
  { name: 'LOGBOOK_MAX_ARTIFACT_SIZE', key: 'maxArtifactSize' },
  { name: 'LOGBOOK_LOG_LEVEL', key: 'logLevel' },
  { name: 'LOGBOOK_TRACKING_USERNAME', key: 'credentials.username' },
  { name: 'MLFLOW_TRACKING_USERNAME', key: 'credentials.username' },
  { name: 'LOGBOOK_TRACKING_PASSWORD', key: 'credentials.password' },
  { name: 'MLFLOW_TRACKING_PASSWORD', key: 'credentials.password' },
  { name: 'LOGBOOK_TRACKING_TOKEN', key: 'credentials.token' },
  { name: 'MLFLOW_TRACKING_TOKEN', key: 'credentials.token' },
  { name: 'LOGBOOK_MAX_BATCH_SIZE', key: 'logging.maxBatchSize' },
  { name: 'LOGBOOK_FLUSH_INTERVAL_MS', key: 'logging.flushIntervalMs' },
  { name: 'LOGBOOK_MAX_BUFFERED_POINTS', key: 'logging.maxBufferedPoints' },
  { name: 'LOGBOOK_DRAIN_ON_EXIT', key: 'logging.drainOnExit' },
  { name: 'LOGBOOK_EXIT_DRAIN_TIMEOUT_MS', key: 'logging.exitDrainTimeoutMs' },
  { name: 'LOGBOOK_SPOOL_ENABLED', key: 'spool.enabled' },
  { name: 'LOGBOOK_SPOOL_PATH', key: 'spool.path' },
  { name: 'LOGBOOK_SPOOL_FAILOVER_MS', key: 'spool.failoverMs' },
];

/** Every binding in force: core's, then those of the registered sections; ambient ones apart. */
function bindings(): { readonly binding: EnvBinding; readonly ambient: boolean }[] {
  const all = ENV_BINDINGS.map((binding) => ({ binding, ambient: false }));
  for (const section of registeredConfigSections()) {
    for (const binding of section.env ?? []) all.push({ binding, ambient: false });
    for (const binding of section.ambientEnv ?? []) all.push({ binding, ambient: true });
  }
  return all;
}

/**
 * Reads the environment layer. Empty variables count as unset. Other `LOGBOOK_*` variables are
 * left alone: servers and tools of the project define their own. A `LOGBOOK_*` variable of a
 * known backend's section that is not registered (`LOGBOOK_S3_BUCKET` without `@logbook/s3`) is
 * INVALID_CONFIGURATION naming it, or, when `unregistered` is given, adds the package to it.
 * @returns the layer, plus `ambient`: values (AWS's, for S3) applied only to a section some
 *   other layer started.
 */
export function readEnvLayer(env: NodeJS.ProcessEnv, unregistered?: Set<string>): { layer: ConfigLayer; ambient: ConfigLayer } {
  const layer: ConfigLayer = new Map();
  const ambient: ConfigLayer = new Map();
  for (const { binding, ambient: isAmbient } of bindings()) {
    const raw = env[binding.name];
    if (raw === undefined || raw === '') continue;
    const target = isAmbient ? ambient : layer;
    if (layer.has(binding.key) || ambient.has(binding.key)) continue;
    const source = `environment variable ${binding.name}`;
    const spec = fieldSpec(binding.key)!;
    // Scaled variables (seconds) may be fractional; the scaled value must fit the key's rule.
    const value =
      binding.scale === undefined
        ? coerce(binding.key, spec, raw, source)
        : coerce(binding.key, spec, Math.round((coerce(binding.key, { kind: 'number' }, raw, source) as number) * binding.scale), source);
    target.set(binding.key, { value, source });
  }
  for (const [name, raw] of Object.entries(env)) {
    const owner = raw === undefined || raw === '' ? undefined : ownerOfVariable(name);
    if (owner === undefined || registeredConfigSections().some((s) => s.name === owner.section)) continue;
    if (unregistered !== undefined) unregistered.add(owner.package);
    else
      badConfig(
        owner.section,
        `environment variable ${name}`,
        `is a setting of ${owner.package}, which is not loaded: install it (pnpm add ${owner.package}) or import it before loading the configuration.`,
      );
  }
  return { layer, ambient };
}
