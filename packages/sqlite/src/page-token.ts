import { decodePageToken, encodePageToken, validateMaxResults } from '@logbook/core/spi';

/** Limit and offset of one page, validated. */
export interface PageWindow {
  readonly limit: number;
  readonly offset: number;
}

/** Validates `maxResults` (1..max) and the page token (core's MLflow-compatible format). */
export function pageWindow(maxResults: number | undefined, pageToken: string | undefined, defaultSize: number, max: number): PageWindow {
  validateMaxResults(maxResults, max);
  return { limit: maxResults ?? defaultSize, offset: decodePageToken(pageToken) };
}

/** Cuts one page out of `limit + 1` fetched rows: the extra row only says that a next page exists. */
export function toPage<T>(rows: readonly T[], window: PageWindow): { items: T[]; nextPageToken?: string } {
  if (rows.length <= window.limit) return { items: [...rows] };
  return { items: rows.slice(0, window.limit), nextPageToken: encodePageToken(window.offset + window.limit) };
}
