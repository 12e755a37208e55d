/** Lines written to the output at once by {@link writeTable}. */
const LINES_PER_WRITE = 1000;

/**
 * The width of each column: its widest cell, header included. A loop, never
 * `Math.max(...cells)`: spreading 100,000+ rows as arguments overflows the call stack.
 */
function columnWidths(headers: readonly string[], rowCount: number, rowAt: (index: number) => readonly string[]): number[] {
  const widths = headers.map((h) => h.length);
  for (let r = 0; r < rowCount; r++) {
    const row = rowAt(r);
    for (let i = 0; i < widths.length; i++) widths[i] = Math.max(widths[i]!, (row[i] ?? '').length);
  }
  return widths;
}

function tableLine(cells: readonly string[], widths: readonly number[]): string {
  return cells
    .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
    .join('  ')
    .trimEnd();
}

/**
 * Renders rows as a plain-text table: a header row, columns padded to their widest cell and
 * separated by two spaces, no trailing spaces. Numbers-looking columns are not right-aligned on
 * purpose: ids and values then line up the same way in every table.
 */
export function renderTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = columnWidths(headers, rows.length, (r) => rows[r]!);
  return [tableLine(headers, widths), ...rows.map((row) => tableLine(row, widths))].join('\n') + '\n';
}

/**
 * Writes the same table as {@link renderTable} a thousand lines at a time, building each row
 * when it is needed (twice: once to measure, once to print) so that a table of a million rows
 * never exists as one string or one array of cells.
 */
export function writeTable(write: (text: string) => void, headers: readonly string[], rowCount: number, rowAt: (index: number) => readonly string[]): void {
  const widths = columnWidths(headers, rowCount, rowAt);
  let lines = [tableLine(headers, widths)];
  for (let r = 0; r < rowCount; r++) {
    lines.push(tableLine(rowAt(r), widths));
    if (lines.length >= LINES_PER_WRITE) {
      write(`${lines.join('\n')}\n`);
      lines = [];
    }
  }
  if (lines.length > 0) write(`${lines.join('\n')}\n`);
}

/** `Title:` followed by indented `key  value` lines; `(none)` when there are no entries. */
export function renderSection(title: string, entries: readonly (readonly [string, string])[]): string {
  if (entries.length === 0) return `${title}: (none)\n`;
  let width = 0;
  for (const [k] of entries) width = Math.max(width, k.length);
  return `${title}:\n${entries.map(([k, v]) => `  ${k.padEnd(width)}  ${v}`.trimEnd()).join('\n')}\n`;
}
