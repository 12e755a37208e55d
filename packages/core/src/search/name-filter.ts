/**
 * A registry search filter (`registered-models/search`, `model-versions/search`) that matches the
 * model `name`, and maybe a few more: compare the names of the results. MLflow's filter strings
 * have no escape for a quote, so a name with `'` goes in double quotes, and a name with both
 * quotes becomes a LIKE pattern with `_` in their place.
 *
 * @example
 * ```ts
 * const page = await registry.searchModelVersions({ filter: modelNameFilter(name) });
 * const versions = page.items.filter((v) => v.name === name);
 * ```
 */
export function modelNameFilter(name: string): string {
  if (!name.includes("'")) return `name = '${name}'`;
  if (!name.includes('"')) return `name = "${name}"`;
  return `name LIKE '${name.replace(/['"]/g, '_')}'`;
}
