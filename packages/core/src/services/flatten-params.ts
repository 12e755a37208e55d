import { LogbookError } from '../errors.js';

/** Params ready to log, and the values that cannot be params. */
export interface FlattenedParams {
  /** Dotted keys and the strings MLflow would store. */
  readonly params: Record<string, string>;
  /** One INVALID_PARAMETER_VALUE per rejected value, naming it (`field`: `params.<dotted key>`). */
  readonly rejected: LogbookError[];
}

/** Why a value that contains itself is not a param. @internal */
export const CIRCULAR = 'is a circular reference (it contains itself)';

/** `undefined`: a param that is not set, left out without a report. */
const NOT_SET = Symbol('not set');

/**
 * Flattens nested params to dotted keys and stringifies values, as MLflow stores params:
 * `{ optimizer: { lr: 0.01 } }` → `{ 'optimizer.lr': '0.01' }`. Arrays and other non-plain
 * objects are JSON; dates ISO strings; `null` is `'None'` (what MLflow's Python client writes for
 * None); `undefined` is left out. A value that cannot be a param (a function, a symbol, an invalid
 * date, a circular reference, something JSON cannot write) is rejected by name, and every other
 * param of the call is kept. Never throws for a bad value.
 *
 * @example
 * ```ts
 * const { params, rejected } = flattenParams({ lr: 0.01, callback: () => {} });
 * // params: { lr: '0.01' }; rejected: [LogbookError naming 'callback']
 * ```
 */
export function flattenParams(params: Readonly<Record<string, unknown>>): FlattenedParams {
  const out: FlattenedParams = { params: {}, rejected: [] };
  walk(params, '', out, new Set());
  return out;
}

/** The string MLflow would store for one param value, or `undefined` when it cannot be a param. */
export function stringifyParam(value: unknown): string | undefined {
  const text = paramText(value);
  return typeof text === 'string' ? text : undefined;
}

function walk(object: object, prefix: string, out: FlattenedParams, ancestors: Set<object>): void {
  let entries: [string, unknown][];
  try {
    entries = Object.entries(object);
  } catch (error) {
    reject(out, prefix, `cannot be read (${firstLine(error)})`);
    return;
  }
  ancestors.add(object);
  for (const [key, value] of entries) {
    const name = prefix === '' ? key : `${prefix}.${key}`;
    if (isPlainObject(value) && Object.keys(value).length > 0) {
      if (ancestors.has(value)) reject(out, name, CIRCULAR);
      else walk(value, name, out, ancestors);
      continue;
    }
    const text = paramText(value);
    if (typeof text === 'string') out.params[name] = text;
    else if (text !== NOT_SET) reject(out, name, text.problem);
  }
  ancestors.delete(object);
}

/**
 * One param value as MLflow would store it: the string, `undefined` when it is not set (left out
 * without a report), or the problem that keeps it from being a param. @internal
 */
export function paramTextOrProblem(value: unknown): string | undefined | { readonly problem: string } {
  const text = paramText(value);
  return text === NOT_SET ? undefined : text;
}

function paramText(value: unknown): string | typeof NOT_SET | { readonly problem: string } {
  switch (typeof value) {
    case 'string':
      return value;
    case 'number':
    case 'boolean':
    case 'bigint':
      return String(value);
    case 'undefined':
      return NOT_SET;
    case 'function':
    case 'symbol':
      return { problem: `is a ${typeof value}; a param is a string, number, boolean, null, date, array or plain object` };
    default:
      if (value === null) return 'None';
      if (value instanceof Date) return Number.isNaN(value.getTime()) ? { problem: 'is an invalid Date' } : value.toISOString();
      try {
        const json = JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v));
        return json === undefined ? { problem: 'has no JSON form' } : json;
      } catch (error) {
        return { problem: `cannot be written as JSON (${firstLine(error)})` };
      }
  }
}

function reject(out: FlattenedParams, name: string, problem: string): void {
  out.rejected.push(rejectedParam(name, problem));
}

/** The INVALID_PARAMETER_VALUE error for a value that cannot be a param, naming it. @internal */
export function rejectedParam(name: string, problem: string): LogbookError {
  return new LogbookError('INVALID_PARAMETER_VALUE', `[core] Param '${name}' ${problem}; it was not logged (the other params of the call were).`, { field: `params.${name}` });
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0]!;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}
