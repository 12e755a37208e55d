import { DEFAULT_CONFIG } from './defaults.js';
import { badConfig } from './coerce.js';
import { readConfigFile } from './config-file.js';
import { readEnvLayer } from './env-vars.js';
import { objectLayer } from './layer.js';
import type { ConfigLayer } from './layer.js';
import { isNested, registeredConfigSections } from './sections.js';
import type { LogbookConfig, LogbookConfigInput, LogbookEnvironment } from './types.js';

/**
 * Builds the configuration in force. Precedence, highest first: `input` (explicit options), the
 * environment (`LOGBOOK_*`, MLflow's `MLFLOW_TRACKING_*`, and those of registered sections such
 * as `MLFLOW_HTTP_REQUEST_*` or AWS's `AWS_*` for S3), the config file's profile for the
 * environment, the config file's top level, defaults.
 *
 * The config file is `LOGBOOK_CONFIG_FILE` or `logbook.config.json` in `cwd`:
 * `{ "trackingUri": "./runs.db", "profiles": { "production": { "trackingUri": "https://mlflow" } } }`.
 *
 * Keys of backend packages (`http` and `databaseUrl` of `@logbook/mlflow`, `s3` of `@logbook/s3`)
 * are known only once the package is imported (it registers them with `registerConfigSection`);
 * `createLogbook` imports the packages the configuration names before loading it.
 *
 * This is the only place Logbook reads the environment.
 * @throws LogbookError `INVALID_CONFIGURATION` naming the key and where it came from (secrets are
 *   never echoed); a key of a backend package that is not loaded names the package to install.
 */
export function loadConfig(input: LogbookConfigInput = {}, env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): LogbookConfig {
  return loadLayers(input, env, cwd);
}

/**
 * The first phase of `createLogbook`: the configuration as far as the sections registered so far
 * know it, and the packages (`@logbook/mlflow`, `@logbook/s3`) whose keys some layer sets but that
 * are not loaded yet. Their keys are skipped instead of refused.
 */
export function scanConfig(input: LogbookConfigInput, env: NodeJS.ProcessEnv, cwd: string): { readonly config: LogbookConfig; readonly missing: ReadonlySet<string> } {
  const missing = new Set<string>();
  return { config: loadLayers(input, env, cwd, missing), missing };
}

function loadLayers(input: LogbookConfigInput, env: NodeJS.ProcessEnv, cwd: string, unregistered?: Set<string>): LogbookConfig {
  const explicit = objectLayer(input, 'explicit options', '', [], unregistered);
  const { layer: fromEnv, ambient } = readEnvLayer(env, unregistered);
  const file = readConfigFile(env, cwd, unregistered);
  const environment = (explicit.get('environment')?.value ?? fromEnv.get('environment')?.value ?? file?.base.get('environment')?.value ?? DEFAULT_CONFIG.environment) as LogbookEnvironment;

  const merged: ConfigLayer = new Map();
  const layers = [file?.base, file?.profiles.get(environment), fromEnv, explicit];
  for (const layer of layers) for (const [k, v] of layer ?? []) merged.set(k, v);
  // Ambient variables (AWS_*, for S3) only complete a section that some layer started.
  const started = new Set([...merged.keys()].map((k) => k.split('.')[0]!));
  for (const [k, v] of ambient) if (started.has(k.split('.')[0]!) && !merged.has(k)) merged.set(k, v);
  return build(merged, environment);
}

function build(merged: ConfigLayer, environment: LogbookEnvironment): LogbookConfig {
  const sections: Record<string, Record<string, unknown>> = {
    credentials: { ...DEFAULT_CONFIG.credentials },
    logging: { ...DEFAULT_CONFIG.logging },
    spool: { ...DEFAULT_CONFIG.spool },
  };
  const registered = registeredConfigSections().filter(isNested);
  for (const section of registered) if (section.defaults !== undefined) sections[section.name] = { ...section.defaults };
  const top: Record<string, unknown> = { ...DEFAULT_CONFIG, environment };
  for (const [key, { value }] of merged) {
    const dot = key.indexOf('.');
    if (dot < 0) top[key] = value;
    else (sections[key.slice(0, dot)] ??= {})[key.slice(dot + 1)] = value;
  }
  for (const section of registered) {
    const values = sections[section.name];
    if (values === undefined || section.finish === undefined) continue;
    const sourceOf = (key: string): string => merged.get(key)?.source ?? [...merged].find(([k]) => k.startsWith(`${section.name}.`))?.[1].source ?? 'defaults';
    sections[section.name] = section.finish(values, sourceOf);
  }
  const logging = sections['logging']!;
  if ((logging['maxBufferedPoints'] as number) < (logging['maxBatchSize'] as number)) {
    const source = merged.get('logging.maxBufferedPoints')?.source ?? merged.get('logging.maxBatchSize')?.source ?? 'defaults';
    badConfig('logging.maxBufferedPoints', source, `must be at least logging.maxBatchSize (${logging['maxBatchSize']}).`);
  }
  const frozen = Object.fromEntries(Object.entries(sections).map(([name, values]) => [name, Object.freeze(values)]));
  return Object.freeze({ ...top, ...frozen }) as unknown as LogbookConfig;
}
