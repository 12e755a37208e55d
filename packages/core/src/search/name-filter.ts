import { filterString } from '../services/paging.js';

/**
 * A registry search filter (`registered-models/search`, `model-versions/search`) that matches the
 * model `name`, and maybe a few more: compare the names of the results. MLflow's filter strings
 * have no escape for a quote, so a name with `'` goes in double quotes, and a name with both
 * quotes (or ending in a backslash, which no literal can hold) becomes a LIKE pattern with `_`
 * in their place. Literals are quoted by core's one `filterString`.
 *
 * @example
 * ```ts
 * const page = await registry.searchModelVersions({ filter: modelNameFilter(name) });
 * const versions = page.items.filter((v) => v.name === name);
 * ```
 */
export function modelNameFilter(name: string): string {
  const quotable = !name.endsWith('\\') && !(name.includes("'") && name.includes('"'));
  return quotable ? `name = ${filterString(name)}` : `name LIKE '${name.replace(/['"\\]/g, '_')}'`;
}
