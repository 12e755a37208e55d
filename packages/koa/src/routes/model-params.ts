import type { Context } from 'koa';
import { isLogbookError } from '@logbook/core';
import type { RegisteredModel } from '@logbook/core';
import { exceedsCodePoints } from '@logbook/core/spi';
import { badField } from '../errors.js';
import { pathParam } from './route.js';
import type { RouteDeps } from './route.js';

/** Longest version reference accepted (a semver range can be long; MLflow's aliases are shorter). */
export const MAX_VERSION_REF = 256;

/** The `name` path parameter of the model routes. */
export const modelNameParam = pathParam('name', 'Registered model name.', { type: 'string', minLength: 1, maxLength: 256 });

/** The `version` path parameter: any version reference. */
export const versionRefParam = pathParam('version', 'A version reference: number (`3`), `latest`, stage (`Production`), semver (`1.2.0`), semver range (`^1.2`) or alias (`champion`).', {
  type: 'string',
  minLength: 1,
  maxLength: MAX_VERSION_REF,
});

/** A path parameter's value. */
export const param = (ctx: Context, name: string): string => (ctx.params as Record<string, string>)[name]!;

/** A version reference (path or body value): non-empty, at most {@link MAX_VERSION_REF} characters. Core's resolver checks the rest. */
export function versionRef(value: string | undefined, field: string): string {
  if (value === undefined || value.trim() === '') badField(field, 'is required: a version number, stage, semver, semver range or alias');
  if (exceedsCodePoints(value, MAX_VERSION_REF)) badField(field, `must have at most ${MAX_VERSION_REF} characters`);
  return value;
}

/** The registered model, or undefined when there is none of that name. */
export async function findModel(deps: RouteDeps, name: string): Promise<RegisteredModel | undefined> {
  try {
    return await deps.registry.getRegisteredModel(name);
  } catch (error) {
    if (isLogbookError(error, 'RESOURCE_DOES_NOT_EXIST')) return undefined;
    throw error;
  }
}
