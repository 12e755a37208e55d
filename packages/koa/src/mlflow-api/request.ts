import type { Context } from 'koa';
import { LogbookError } from '@logbook/core';

/** The parameters of one MLflow API call: the query string of a GET, else the JSON body. */
export type Params = Readonly<Record<string, unknown>>;

/**
 * Reads an MLflow request as its server does: a GET with a query string takes its parameters from
 * it (repeated keys are lists), any other request (and a GET without query) from the JSON body.
 */
export function paramsOf(ctx: Context): Params {
  if (ctx.method === 'GET' && ctx.querystring !== '') return ctx.query as Params;
  const body = (ctx.request as { body?: unknown }).body;
  if (typeof body === 'string' && body.trim() !== '') {
    // MLflow still decodes a body that is a JSON string holding JSON (a legacy client habit).
    try {
      return JSON.parse(body) as Params;
    } catch {
      throw bad('Malformed request body: expected a JSON object');
    }
  }
  return typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Params) : {};
}

function bad(message: string): LogbookError {
  return new LogbookError('INVALID_PARAMETER_VALUE', `[koa] ${message}.`);
}

function missing(key: string): LogbookError {
  return new LogbookError('INVALID_PARAMETER_VALUE', `[koa] Missing value for required parameter '${key}'. See the API docs for more information about request parameters.`, { field: key });
}

function wrongType(key: string, value: unknown): LogbookError {
  return new LogbookError('INVALID_PARAMETER_VALUE', `[koa] Invalid value ${JSON.stringify(value)} for parameter '${key}' supplied.`, { field: key });
}

/** An optional string (a one-element list from a query string counts as its element). */
export function optStr(p: Params, key: string): string | undefined {
  let value = p[key];
  if (Array.isArray(value)) value = value[0];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw wrongType(key, value);
  return value;
}

/** A required string; empty counts as missing, as on MLflow's server. */
export function reqStr(p: Params, key: string, ...aliases: string[]): string {
  for (const name of [key, ...aliases]) {
    const value = optStr(p, name);
    if (value !== undefined && value !== '') return value;
  }
  throw missing(key);
}

/** An optional int64 sent as a number or a numeric string. */
export function optInt(p: Params, key: string): number | undefined {
  let value = p[key];
  if (Array.isArray(value)) value = value[0];
  if (value === undefined || value === null || value === '') return undefined;
  const n = typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isSafeInteger(n)) throw wrongType(key, value);
  return n;
}

/** A required int64. */
export function reqInt(p: Params, key: string): number {
  const value = optInt(p, key);
  if (value === undefined) throw missing(key);
  return value;
}

/** A double: a number, or protobuf JSON's `"NaN"`, `"Infinity"`, `"-Infinity"`. */
export function reqDouble(p: Params, key: string): number {
  const value = p[key];
  if (value === undefined || value === null) throw missing(key);
  if (typeof value === 'number') return value;
  if (value === 'NaN') return Number.NaN;
  if (value === 'Infinity') return Number.POSITIVE_INFINITY;
  if (value === '-Infinity') return Number.NEGATIVE_INFINITY;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  throw wrongType(key, value);
}

/** An optional bool: JSON `true`/`false`, or exactly `true`/`false` in a query string. */
export function optBool(p: Params, key: string): boolean | undefined {
  let value = p[key];
  if (Array.isArray(value)) value = value[0];
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'boolean') return value;
  if (value === 'true' || value === 'false') return value === 'true';
  throw wrongType(key, value);
}

/** A repeated string field (absent is empty). */
export function strList(p: Params, key: string): string[] {
  const value = p[key];
  if (value === undefined || value === null) return [];
  const list = Array.isArray(value) ? value : [value];
  for (const item of list) if (typeof item !== 'string') throw wrongType(key, item);
  return list as string[];
}

/** A repeated `{key, value}` field as a list; a missing value is `''` (proto default). */
export function keyValues(p: Params, field: string): { key: string; value: string }[] {
  const value = p[field];
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw wrongType(field, value);
  return value.map((item: unknown, i: number) => {
    const entry = (typeof item === 'object' && item !== null ? item : {}) as Params;
    const key = entry.key;
    if (typeof key !== 'string' || key === '') throw missing(`${field}[${i}].key`);
    const v = entry.value ?? '';
    if (typeof v !== 'string') throw wrongType(`${field}[${i}].value`, v);
    return { key, value: v };
  });
}

/** `[{key, value}]` → `{key: value}` (last wins, as MLflow's tags do). */
export function tagsOf(p: Params, field = 'tags'): Record<string, string> {
  const out: Record<string, string> = {};
  for (const { key, value } of keyValues(p, field)) out[key] = value;
  return out;
}

/** The paging, filter and order fields every MLflow search shares, as a store query. */
export function searchFields(p: Params, defaultMax: number): { maxResults: number; filter?: string; pageToken?: string; orderBy?: string[] } {
  const filter = optStr(p, 'filter');
  const pageToken = optStr(p, 'page_token');
  const orderBy = strList(p, 'order_by');
  return {
    maxResults: optInt(p, 'max_results') ?? defaultMax,
    ...(filter !== undefined && filter !== '' && { filter }),
    ...(pageToken !== undefined && pageToken !== '' && { pageToken }),
    ...(orderBy.length > 0 && { orderBy }),
  };
}
