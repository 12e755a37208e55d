import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { badConfig } from './coerce.js';
import { objectLayer } from './layer.js';
import type { ConfigLayer } from './layer.js';
import type { LogbookEnvironment } from './types.js';

/** Name of the config file looked up in the working directory. */
export const CONFIG_FILE_NAME = 'logbook.config.json';

const ENVIRONMENTS: readonly LogbookEnvironment[] = ['development', 'staging', 'production'];

/** A parsed config file: its top-level settings and one layer per profile. */
export interface ConfigFile {
  readonly path: string;
  readonly base: ConfigLayer;
  readonly profiles: ReadonlyMap<LogbookEnvironment, ConfigLayer>;
}

/**
 * Reads `LOGBOOK_CONFIG_FILE` (which must exist) or `logbook.config.json` in `cwd` (optional).
 * Every key is checked; an unknown key or profile is INVALID_CONFIGURATION naming the file.
 * @param unregistered see `objectLayer`: collects the packages whose keys the file holds.
 */
export function readConfigFile(env: NodeJS.ProcessEnv, cwd: string, unregistered?: Set<string>): ConfigFile | undefined {
  const explicit = env['LOGBOOK_CONFIG_FILE'];
  const path = explicit ? resolve(cwd, explicit) : resolve(cwd, CONFIG_FILE_NAME);
  if (!existsSync(path)) {
    if (explicit) badConfig('LOGBOOK_CONFIG_FILE', 'environment variable LOGBOOK_CONFIG_FILE', `names a file that does not exist: ${path}.`);
    return undefined;
  }
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    badConfig('config file', path, `is not valid JSON: ${reason}`);
  }
  const base = objectLayer(json, path, '', ['profiles', '$schema'], unregistered);
  const profiles = new Map<LogbookEnvironment, ConfigLayer>();
  const raw = (json as Record<string, unknown>)['profiles'];
  if (raw !== undefined) {
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) badConfig('profiles', path, 'must be an object.');
    for (const [name, section] of Object.entries(raw)) {
      if (!ENVIRONMENTS.includes(name as LogbookEnvironment)) {
        badConfig(`profiles.${name}`, path, `is not an environment; profiles are ${ENVIRONMENTS.join(', ')}.`);
      }
      const layer = objectLayer(section, `${path} (profiles.${name})`, '', [], unregistered);
      if (layer.has('environment')) badConfig(`profiles.${name}.environment`, path, 'cannot be set inside a profile.');
      profiles.set(name as LogbookEnvironment, layer);
    }
  }
  return { path, base, profiles };
}
