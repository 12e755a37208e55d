import { invalid, show } from '../validation/fail.js';
import type { Page, PageRequest } from '../model/common.js';

/**
 * Encodes a page token as MLflow's SQL stores do: base64 of the JSON `{"offset": N}`. Tokens are
 * opaque to clients; this format only keeps them interchangeable with MLflow's.
 */
export function encodePageToken(offset: number): string {
  return Buffer.from(JSON.stringify({ offset }).replace(':', ': '), 'utf8').toString('base64');
}

/**
 * Decodes a token from {@link encodePageToken}: the offset of the first item of the page, 0 when
 * the token is absent or empty. A malformed token is INVALID_PARAMETER_VALUE.
 */
export function decodePageToken(token: string | undefined, field = 'pageToken'): number {
  if (token === undefined || token === '') return 0;
  const fail = (why: string): never => invalid(field, `Invalid page token ${show(token)}: ${why}. Pass the nextPageToken of the previous page unchanged (${field}).`);
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(token) || token.length % 4 !== 0) fail('could not base64-decode');
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64').toString('utf8'));
  } catch {
    fail('decoded value is not JSON');
  }
  const offset = typeof parsed === 'object' && parsed !== null ? (parsed as { offset?: unknown }).offset : undefined;
  const n = typeof offset === 'string' && /^\d+$/.test(offset) ? Number(offset) : offset;
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 1) fail('no positive integer offset in it');
  return n as number;
}

/**
 * One page of an already filtered and sorted list, for stores that search in memory.
 * The next token is present only when more items follow.
 */
export function paginate<T>(items: readonly T[], request: PageRequest & { readonly maxResults: number }, field = 'pageToken'): Page<T> {
  const start = decodePageToken(request.pageToken, field);
  const end = start + request.maxResults;
  const page = items.slice(start, end);
  return end < items.length ? { items: page, nextPageToken: encodePageToken(end) } : { items: page };
}
