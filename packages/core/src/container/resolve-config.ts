import { loadConfig, scanConfig } from '../config/load-config.js';
import type { LogbookConfig, LogbookConfigInput } from '../config/types.js';
import { findBackend } from './backend-registry.js';
import { backendPackageFor, importFromProject } from './load-backend.js';

/**
 * Loads the configuration in two phases, so that settings of backend packages are known however
 * the program imports them: first core's keys (which give `trackingUri`) and the packages whose
 * keys some layer sets (`http` → `@logbook/mlflow`, `s3` → `@logbook/s3`); then, once those
 * packages and the backend for `trackingUri` are imported (each registers its config section),
 * every key with the same precedence. A package that cannot be imported is reported by the second
 * phase, naming the key that asked for it and the package to install.
 * @param importPackage how a package is imported (replaced in tests to simulate its absence).
 * @throws LogbookError `INVALID_CONFIGURATION` as {@link loadConfig}.
 */
export async function resolveConfig(
  input: LogbookConfigInput | undefined,
  env: NodeJS.ProcessEnv,
  cwd: string,
  importPackage: (pkg: string, cwd: string) => Promise<unknown> = importFromProject,
): Promise<LogbookConfig> {
  const { config, missing } = scanConfig(input ?? {}, env, cwd);
  const wanted = new Set(missing);
  if (findBackend(config.trackingUri) === undefined) wanted.add(backendPackageFor(config.trackingUri));
  for (const pkg of wanted) await importPackage(pkg, cwd).catch(() => undefined);
  return loadConfig(input, env, cwd);
}
