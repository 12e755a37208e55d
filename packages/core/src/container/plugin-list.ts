/**
 * A list of named plug-ins kept on `globalThis`, so a package that loaded another copy of
 * @logbook/core (built `dist/` beside sources, or two installed versions) still registers where
 * `createLogbook` looks.
 */
export function pluginList<T extends { readonly name: string }>(key: string): T[] {
  const holder = globalThis as unknown as Record<symbol, T[] | undefined>;
  return (holder[Symbol.for(key)] ??= []);
}

/** Adds a plug-in, replacing an earlier one of the same name. */
export function upsertPlugin<T extends { readonly name: string }>(list: T[], plugin: T): void {
  const existing = list.findIndex((p) => p.name === plugin.name);
  if (existing >= 0) list.splice(existing, 1);
  list.push(plugin);
}

/** Removes the plug-in named `name`. @returns whether one was removed. */
export function removePlugin<T extends { readonly name: string }>(list: T[], name: string): boolean {
  const index = list.findIndex((p) => p.name === name);
  if (index >= 0) list.splice(index, 1);
  return index >= 0;
}
