import type { RunComparison } from '@logbook/core';
import { renderTable } from './table.js';
import { formatText } from './text.js';
import { formatNumber } from './values.js';

// Loaded by `logbook runs compare` when its action runs (formatText needs @logbook/core).

/** The runs, then params and latest metrics side by side; rows whose values differ marked `*`. */
export function renderComparison(c: RunComparison): string {
  // Columns are named by run name when the names tell the runs apart, else by run id.
  const names = c.runs.map((r) => r.runName);
  const headers = new Set(names).size === names.length ? names : c.runs.map((r) => r.runId);
  const rows = (title: string, entries: readonly { key: string; values: readonly (string | number | undefined)[]; differs: boolean }[], format: (v: string | number | undefined) => string): string => {
    if (entries.length === 0) return `${title}: (none)\n`;
    return renderTable(
      ['', title.toUpperCase(), ...headers],
      entries.map((e) => [e.differs ? '*' : '', e.key, ...e.values.map(format)]),
    );
  };
  return [
    renderTable(
      ['RUN', 'RUN ID', 'STATUS'],
      c.runs.map((r, i) => [headers[i] ?? '', r.runId, r.status]),
    ),
    rows('Param', c.params, (v) => formatText(v as string | undefined, 40)),
    rows('Metric', c.metrics, (v) => formatNumber(v as number | undefined)),
    '* = the values differ\n',
  ].join('\n');
}
