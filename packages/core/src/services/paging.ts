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

/** Quotes a value for an MLflow filter string: `'it''s'` is not MLflow's syntax, `\'` is escaped. */
export function filterString(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}
