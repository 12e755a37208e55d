import type { Context } from 'koa';
import { exceedsCodePoints } from '@logbook/core/spi';
import type { PageRequest } from '@logbook/core';
import { badField } from '../errors.js';

/** A query parameter given at most once; `undefined` when absent. */
export function queryString(ctx: Context, name: string, max = 4096): string | undefined {
  const value = ctx.query[name];
  if (value === undefined) return undefined;
  if (Array.isArray(value)) badField(name, 'must be given once');
  if (exceedsCodePoints(value, max)) badField(name, `must have at most ${max} characters`);
  return value;
}

/** A repeatable query parameter (`?a=1&a=2`), also accepting comma-separated values. */
export function queryList(ctx: Context, name: string): string[] {
  const value = ctx.query[name];
  if (value === undefined) return [];
  const values = Array.isArray(value) ? value : [value];
  return values
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter((v) => v !== '');
}

/** A repeatable query parameter (`?a=x&a=y`) taken whole: for values that may contain commas. */
export function queryValues(ctx: Context, name: string): string[] {
  const value = ctx.query[name];
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).filter((v) => v !== '');
}

/** An integer query parameter within [min, max]. */
export function queryInt(ctx: Context, name: string, min: number, max: number): number | undefined {
  const value = queryString(ctx, name, 32);
  if (value === undefined || value === '') return undefined;
  if (!/^-?[0-9]+$/.test(value)) badField(name, `must be an integer, got ${JSON.stringify(value)}`);
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < min || n > max) badField(name, `must be between ${min} and ${max}`);
  return n;
}

/**
 * `max_results` (1..max, default `fallback`) and `page_token` of a list endpoint. Tokens are the
 * store's opaque ones, passed through.
 */
export function pageOf(ctx: Context, max: number, fallback: number): PageRequest & { maxResults: number } {
  const maxResults = queryInt(ctx, 'max_results', 1, max) ?? fallback;
  const pageToken = queryString(ctx, 'page_token', 2048);
  return { maxResults, ...(pageToken !== undefined && pageToken !== '' && { pageToken }) };
}
