/**
 * Renders rows as a plain-text table: a header row, columns padded to their widest cell and
 * separated by two spaces, no trailing spaces. Numbers-looking columns are not right-aligned on
 * purpose: ids and values then line up the same way in every table.
 */
export function renderTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0))).join('  ').trimEnd();
  return [line(headers), ...rows.map(line)].join('\n') + '\n';
}

/** `Title:` followed by indented `key  value` lines; `(none)` when there are no entries. */
export function renderSection(title: string, entries: readonly (readonly [string, string])[]): string {
  if (entries.length === 0) return `${title}: (none)\n`;
  const width = Math.max(...entries.map(([k]) => k.length));
  return `${title}:\n${entries.map(([k, v]) => `  ${k.padEnd(width)}  ${v}`.trimEnd()).join('\n')}\n`;
}
