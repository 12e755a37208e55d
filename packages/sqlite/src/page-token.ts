import { validateMaxResults } from '@logbook/core';
import { invalidParam } from './errors.js';

/** MLflow's SQL-store page token: base64 of JSON `{"offset": N}`. */
export function encodePageToken(offset: number): string {
  return Buffer.from(JSON.stringify({ offset }), 'utf8').toString('base64');
}

/** Offset of a page token; 0 when absent. Malformed tokens are INVALID_PARAMETER_VALUE. */
export function decodePageToken(token: string | undefined): number {
  if (token === undefined || token === '') return 0;
  let offset: unknown;
  try {
    offset = (JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as { offset?: unknown }).offset;
  } catch {
    return invalidParam(`Invalid page token, could not base64-decode or parse it: '${token}'.`, 'pageToken');
  }
  if (typeof offset !== 'number' || !Number.isSafeInteger(offset) || offset < 0) {
    return invalidParam(`Invalid page token '${token}': offset must be a non-negative integer.`, 'pageToken');
  }
  return offset;
}

/** Limit and offset of one page, validated. */
export interface PageWindow {
  readonly limit: number;
  readonly offset: number;
}

/** Validates `maxResults` (1..max) and the token. */
export function pageWindow(maxResults: number | undefined, pageToken: string | undefined, defaultSize: number, max: number): PageWindow {
  validateMaxResults(maxResults, max);
  return { limit: maxResults ?? defaultSize, offset: decodePageToken(pageToken) };
}

/**
 * Cuts one page out of `limit + 1` fetched rows: the extra row only says that a next page exists.
 */
export function toPage<T>(rows: readonly T[], window: PageWindow): { items: T[]; nextPageToken?: string } {
  if (rows.length <= window.limit) return { items: [...rows] };
  return { items: rows.slice(0, window.limit), nextPageToken: encodePageToken(window.offset + window.limit) };
}
