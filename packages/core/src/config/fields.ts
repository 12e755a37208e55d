import { isNested, sectionOf } from './sections.js';

/**
 * The schema of every configuration key: its dotted path, its kind and its bounds. Loading uses it
 * to coerce environment strings, type-check file and explicit values, and reject unknown keys.
 */
export type FieldKind = 'string' | 'uri' | 'boolean' | 'integer' | 'number' | 'size' | 'enum';

/** One configuration key. */
export interface FieldSpec {
  readonly kind: FieldKind;
  /** Inclusive bounds for numeric kinds. */
  readonly min?: number;
  readonly max?: number;
  /** Allowed values of an `enum`. */
  readonly values?: readonly string[];
  /** Never echo the value in an error message. */
  readonly secret?: boolean;
}

/** Core's own keys, by dotted path; backends add theirs with `registerConfigSection`. */
export const FIELDS: Readonly<Record<string, FieldSpec>> = {
  environment: { kind: 'enum', values: ['development', 'staging', 'production'] },
  trackingUri: { kind: 'uri', secret: true },
  registryUri: { kind: 'uri', secret: true },
  artifactRoot: { kind: 'string' },
  authenticationEnabled: { kind: 'boolean' },
  modelRegistryEnabled: { kind: 'boolean' },
  experimentAutoLogging: { kind: 'boolean' },
  artifactCompression: { kind: 'boolean' },
  maxArtifactSize: { kind: 'size', min: 1 },
  auditLog: { kind: 'string' },
  auditKey: { kind: 'string', secret: true },
  logLevel: { kind: 'enum', values: ['silent', 'error', 'warn', 'info', 'debug'] },
  'credentials.username': { kind: 'string' },
  'credentials.password': { kind: 'string', secret: true },
  'credentials.token': { kind: 'string', secret: true },
  'logging.maxBatchSize': { kind: 'integer', min: 1, max: 1000 },
  'logging.flushIntervalMs': { kind: 'integer', min: 1 },
  'logging.maxBufferedPoints': { kind: 'integer', min: 1 },
  'logging.drainOnExit': { kind: 'boolean' },
  'logging.exitDrainTimeoutMs': { kind: 'integer', min: 1 },
  'spool.enabled': { kind: 'boolean' },
  'spool.path': { kind: 'string' },
  'spool.failoverMs': { kind: 'integer', min: 1 },
};

/** Core's nested sections of the config. */
export const SECTIONS: readonly string[] = ['credentials', 'logging', 'spool'];

/** The rule of a dotted key: core's, or that of a registered section. */
export function fieldSpec(key: string): FieldSpec | undefined {
  // Own keys only: `constructor` or `__proto__` in a file are not settings.
  if (Object.hasOwn(FIELDS, key)) return FIELDS[key];
  const section = sectionOf(key);
  return section !== undefined && Object.hasOwn(section.fields, key) ? section.fields[key] : undefined;
}

/** True when `name` is a nested section: core's or a registered one. */
export function isSectionName(name: string): boolean {
  if (SECTIONS.includes(name)) return true;
  const section = sectionOf(name);
  return section !== undefined && isNested(section);
}
