import { DEFAULT_CONFIG, DEFAULT_S3_REGION } from './defaults.js';
import { badConfig } from './coerce.js';
import { readConfigFile } from './config-file.js';
import { readEnvLayer } from './env-vars.js';
import { objectLayer } from './layer.js';
import type { ConfigLayer } from './layer.js';
import type { LogbookConfig, LogbookConfigInput, LogbookEnvironment } from './types.js';

/**
 * Builds the configuration in force. Precedence, highest first: `input` (explicit options), the
 * environment (`LOGBOOK_*`, MLflow's `MLFLOW_TRACKING_*` / `MLFLOW_HTTP_REQUEST_*`, AWS's `AWS_*`
 * for S3), the config file's profile for the environment, the config file's top level, defaults.
 *
 * The config file is `LOGBOOK_CONFIG_FILE` or `logbook.config.json` in `cwd`:
 * `{ "trackingUri": "./runs.db", "profiles": { "production": { "trackingUri": "https://mlflow" } } }`.
 *
 * This is the only place Logbook reads the environment.
 * @throws LogbookError `INVALID_CONFIGURATION` naming the key and where it came from (secrets are
 *   never echoed).
 */
export function loadConfig(
  input: LogbookConfigInput = {},
  env: NodeJS.ProcessEnv = process.env,
  cwd: string = process.cwd(),
): LogbookConfig {
  const explicit = objectLayer(input, 'explicit options');
  const { layer: fromEnv, ambient } = readEnvLayer(env);
  const file = readConfigFile(env, cwd);
  const environment = (explicit.get('environment')?.value ??
    fromEnv.get('environment')?.value ??
    file?.base.get('environment')?.value ??
    DEFAULT_CONFIG.environment) as LogbookEnvironment;

  const merged: ConfigLayer = new Map();
  const layers = [file?.base, file?.profiles.get(environment), fromEnv, explicit];
  for (const layer of layers) for (const [k, v] of layer ?? []) merged.set(k, v);
  // AWS_* and MLFLOW_S3_ENDPOINT_URL only complete an S3 section that some layer started.
  if ([...merged.keys()].some((k) => k.startsWith('s3.'))) {
    for (const [k, v] of ambient) if (!merged.has(k)) merged.set(k, v);
  }
  return build(merged, environment);
}

function build(merged: ConfigLayer, environment: LogbookEnvironment): LogbookConfig {
  const sections: Record<string, Record<string, unknown>> = {
    credentials: { ...DEFAULT_CONFIG.credentials },
    http: { ...DEFAULT_CONFIG.http },
    logging: { ...DEFAULT_CONFIG.logging },
    spool: { ...DEFAULT_CONFIG.spool },
  };
  const top: Record<string, unknown> = { ...DEFAULT_CONFIG, environment };
  for (const [key, { value }] of merged) {
    const dot = key.indexOf('.');
    if (dot < 0) top[key] = value;
    else (sections[key.slice(0, dot)] ??= {})[key.slice(dot + 1)] = value;
  }
  const s3 = sections['s3'];
  if (s3 !== undefined) {
    if (typeof s3['bucket'] !== 'string') {
      const [firstKey, first] = [...merged].find(([k]) => k.startsWith('s3.'))!;
      badConfig('s3.bucket', first.source, `is required when S3 is configured (${firstKey} is set).`);
    }
    s3['region'] ??= DEFAULT_S3_REGION;
  }
  const logging = sections['logging']!;
  if ((logging['maxBufferedPoints'] as number) < (logging['maxBatchSize'] as number)) {
    const source = merged.get('logging.maxBufferedPoints')?.source ?? merged.get('logging.maxBatchSize')?.source ?? 'defaults';
    badConfig('logging.maxBufferedPoints', source, `must be at least logging.maxBatchSize (${logging['maxBatchSize']}).`);
  }
  return Object.freeze({
    ...top,
    credentials: Object.freeze(sections['credentials']!),
    http: Object.freeze(sections['http']!),
    logging: Object.freeze(logging),
    spool: Object.freeze(sections['spool']!),
    ...(s3 === undefined ? {} : { s3: Object.freeze(s3) }),
  }) as unknown as LogbookConfig;
}
