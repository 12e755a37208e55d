import { pluginList, removePlugin, upsertPlugin } from '../container/plugin-list.js';
import type { ConfigSource } from './coerce.js';
import type { EnvBinding } from './env-vars.js';
import type { FieldSpec } from './fields.js';

/**
 * Settings a backend package adds to the configuration when it registers (`@logbook/mlflow`'s
 * `http` and `databaseUrl`, `@logbook/s3`'s `s3`). The one loader applies the same precedence to
 * them as to core's own keys: explicit options, environment, config file profile, file, defaults.
 */
export interface ConfigSection {
  /** The top-level key: a nested section (`http`) or one setting (`databaseUrl`). */
  readonly name: string;
  /** The package that registers it, named in errors when a key of it appears while it is not loaded. */
  readonly package: string;
  /** Its keys by full dotted path (`http.maxRetries`, or `databaseUrl` itself) and their rules. */
  readonly fields: Readonly<Record<string, FieldSpec>>;
  /**
   * Values of a nested section when no layer sets them. A nested section without defaults is
   * absent from the config until some layer sets one of its keys.
   */
  readonly defaults?: object;
  /** Environment variables of its keys, in priority order: for one key the first set wins. */
  readonly env?: readonly EnvBinding[];
  /** Variables that only complete the section once another layer set one of its keys (AWS's, for S3). */
  readonly ambientEnv?: readonly EnvBinding[];
  /**
   * Checks and completes a nested section's merged values (a required key, a derived default);
   * throws `INVALID_CONFIGURATION` (see `badConfig`) naming the key and the source of the value.
   */
  readonly finish?: (values: Record<string, unknown>, sourceOf: (key: string) => ConfigSource) => Record<string, unknown>;
}

/**
 * Which package owns the sections core knows of but does not define, and the `LOGBOOK_*`
 * variable prefixes that set them: a key of one of them while the package is not loaded is an
 * error saying what to install.
 */
const KNOWN_OWNERS: readonly { readonly name: string; readonly package: string; readonly envPrefix: string }[] = [
  { name: 'http', package: '@logbook/mlflow', envPrefix: 'LOGBOOK_HTTP_' },
  { name: 'databaseUrl', package: '@logbook/mlflow', envPrefix: 'LOGBOOK_DATABASE_URL' },
  { name: 's3', package: '@logbook/s3', envPrefix: 'LOGBOOK_S3_' },
];

function sections(): ConfigSection[] {
  return pluginList<ConfigSection>('logbook.configSections');
}

/**
 * Adds a backend's settings to the configuration. Backend packages call it when imported, before
 * registering their backend; `createLogbook` imports the packages a config names before loading it
 * fully. A section registered again under the same name replaces the earlier one.
 *
 * @example
 * ```ts
 * registerConfigSection({ name: 'http', package: '@logbook/mlflow', fields: { 'http.maxRetries': { kind: 'integer', min: 0 } }, defaults: { maxRetries: 7 } });
 * ```
 */
export function registerConfigSection(section: ConfigSection): void {
  upsertPlugin(sections(), section);
}

/** Removes a section by name (tests). @returns whether one was removed. */
export function unregisterConfigSection(name: string): boolean {
  return removePlugin(sections(), name);
}

/** The registered sections, oldest first. */
export function registeredConfigSections(): readonly ConfigSection[] {
  return sections();
}

/** The registered section a dotted key belongs to. */
export function sectionOf(key: string): ConfigSection | undefined {
  const top = key.split('.')[0]!;
  return sections().find((s) => s.name === top);
}

/** True when `section` holds keys below its name (`http.*`) rather than being one setting. */
export function isNested(section: ConfigSection): boolean {
  return Object.keys(section.fields).some((k) => k.startsWith(`${section.name}.`));
}

/** The package that would register the section of a top-level key, when core knows one. */
export function ownerOfKey(top: string): string | undefined {
  return KNOWN_OWNERS.find((o) => o.name === top)?.package;
}

/** The package whose section an environment variable sets (`LOGBOOK_S3_BUCKET` → `@logbook/s3`). */
export function ownerOfVariable(name: string): { readonly section: string; readonly package: string } | undefined {
  const owner = KNOWN_OWNERS.find((o) => name.startsWith(o.envPrefix));
  return owner === undefined ? undefined : { section: owner.name, package: owner.package };
}
