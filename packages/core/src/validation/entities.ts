import { LIMITS } from './limits.js';
import { invalid, show, typeName } from './fail.js';
import { isPathUnstable } from './posix-path.js';
import { checkLength, requireString } from './values.js';

/** Experiment names: non-empty, at most 500 characters. */
export function validateExperimentName(name: unknown, field = 'name'): asserts name is string {
  if (typeof name !== 'string' || name.trim().length === 0) {
    invalid(field, `Invalid experiment name: ${show(name)}. Expected a non-empty string (${field}).`);
  }
  checkLength(name, LIMITS.maxExperimentNameLength, field);
}

/** Experiment ids: the decimal string of an integer. */
export function validateExperimentId(id: unknown, field = 'experimentId'): asserts id is string {
  if (typeof id !== 'string' || !/^[0-9]+$/.test(id)) {
    invalid(field, `Invalid experiment ID ${show(id)}. Experiment ID must be a valid integer (${field}).`);
  }
}

/** Run ids: MLflow's `^[a-zA-Z0-9][\w\-]{0,255}$`. */
export function validateRunId(id: unknown, field = 'runId'): asserts id is string {
  if (typeof id !== 'string' || !/^[a-zA-Z0-9][\w-]{0,255}$/.test(id)) {
    invalid(field, `Invalid run ID ${show(id)}: expected letters, digits, '_' or '-', at most 256 characters (${field}).`);
  }
}

/** The run tag that holds the run's name: setting it renames the run. */
export const RUN_NAME_TAG = 'mlflow.runName';

/** Run names: a string of at most 250 characters (code points). */
export function validateRunName(name: unknown, field = 'runName'): asserts name is string {
  if (typeof name !== 'string') invalid(field, `Run name must be a string, got ${typeName(name)} (${field}).`);
  checkLength(name, LIMITS.maxRunNameLength, field);
}

/**
 * The rule a run tag obeys beyond the tag limits, wherever run tags are set (createRun's tags,
 * setTag, log-batch), on every backend: `mlflow.runName` is the run's name, so its value is held to
 * the run-name limit and rejected past it, never truncated (MLflow's run name column holds 250
 * characters). Other keys pass.
 */
export function validateRunTag(key: string, value: unknown, field = 'value'): void {
  if (key === RUN_NAME_TAG) validateRunName(value, field);
}

/** Experiment tags are rejected (not truncated) past 20,000 characters (MLflow 3.17's limit). */
export function validateExperimentTagValue(key: string, value: unknown, field = 'value'): asserts value is string {
  if (typeof value !== 'string') invalid(field, `Value of experiment tag ${show(key)} must be a string (${field}).`);
  checkLength(value, LIMITS.maxExperimentTagValueLength, field);
}

/**
 * Registered model names: non-empty after trimming, at most 256 characters (MLflow's column), no
 * `/` or `:` (MLflow 3.11+), and stable as a POSIX path.
 */
export function validateModelName(name: unknown, field = 'name'): asserts name is string {
  if (typeof name !== 'string' || name.trim().length === 0) {
    invalid(field, `Registered model name cannot be empty (${field}).`);
  }
  checkLength(name, LIMITS.maxRegisteredModelNameLength, field);
  if (name.includes('/') || name.includes(':')) {
    invalid(field, `Invalid model name ${show(name)}: names cannot contain '/' or ':' (${field}).`);
  }
  if (isPathUnstable(name)) invalid(field, `Invalid model name ${show(name)}: not a normalized path segment (${field}).`);
}

/** Model versions: a positive decimal integer string. */
export function validateModelVersion(version: unknown, field = 'version'): asserts version is string {
  if (typeof version !== 'string' || !/^[1-9][0-9]*$/.test(version)) {
    invalid(field, `Invalid model version ${show(version)}: expected a positive integer (${field}).`);
  }
}

/** Registry tags: key at most 250, value at most 100,000 characters. */
export function validateRegistryTag(key: unknown, value: unknown, field = 'tag'): void {
  requireString(key, `${field}.key`);
  checkLength(key, LIMITS.maxRegistryTagKeyLength, `${field}.key`);
  if (typeof value !== 'string') invalid(`${field}.value`, `Value of registry tag ${show(key)} must be a string.`);
  checkLength(value, LIMITS.maxRegistryTagValueLength, `${field}.value`);
}

/** Aliases: `[A-Za-z0-9_-]`, at most 255; `latest` and `v<digits>` are reserved. */
export function validateAlias(alias: unknown, field = 'alias'): asserts alias is string {
  requireString(alias, field);
  checkLength(alias, LIMITS.maxAliasLength, field);
  if (!/^[\p{L}\p{N}_-]+$/u.test(alias)) {
    invalid(field, `Invalid alias ${show(alias)}: aliases may only contain alphanumerics, underscores and dashes (${field}).`);
  }
  if (alias.toLowerCase() === 'latest' || /^v[0-9]+$/i.test(alias)) {
    invalid(field, `Alias ${show(alias)} is reserved: 'latest' and 'v<number>' cannot be used as aliases (${field}).`);
  }
}
