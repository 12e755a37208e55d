import { LogbookError } from '../errors.js';
import type { Page, PageRequest } from '../model/common.js';

/** Reads every page of a paginated listing. */
export async function collectPages<T>(fetchPage: (page: PageRequest) => Promise<Page<T>>, maxResults?: number): Promise<T[]> {
  const items: T[] = [];
  let pageToken: string | undefined;
  do {
    const page = await fetchPage(maxResults === undefined ? { pageToken } : { maxResults, pageToken });
    items.push(...page.items);
    pageToken = page.nextPageToken;
  } while (pageToken !== undefined && pageToken !== '');
  return items;
}

/**
 * A value as a string literal of an MLflow filter. MLflow, and core's parser that follows it,
 * strip only the enclosing quotes and unescape nothing (an escaped `\'` stays two characters, so
 * a name with a quote never matched): the value goes between the quote it does not contain.
 * @throws LogbookError INVALID_PARAMETER_VALUE for a value no literal can hold (both quotes, or
 *   a trailing backslash, which would escape the closing quote)
 */
export function filterString(value: string): string {
  if (!value.endsWith('\\')) {
    if (!value.includes("'")) return `'${value}'`;
    if (!value.includes('"')) return `"${value}"`;
  }
  throw new LogbookError('INVALID_PARAMETER_VALUE', `[core] ${JSON.stringify(value)} cannot be searched for: a filter literal cannot hold both quote characters or end with a backslash.`);
}
