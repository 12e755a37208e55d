import type { RunComparison } from '@logbook/core';
import type { Command } from 'commander';
import type { CommandContext } from '../command-context.js';
import { CliError, ExitCode } from '../exit-codes.js';
import { renderTable } from '../format/table.js';
import { formatNumber, formatText } from '../format/values.js';

/** `logbook runs compare <id> <id>…`: params and latest metrics side by side, differences marked `*`. */
export function registerRunsCompare(runs: Command, context: CommandContext): void {
  runs
    .command('compare')
    .description('params and latest metrics of runs side by side; rows whose values differ are marked *')
    .argument('<run-ids...>', 'two or more run ids')
    .action(async (runIds: string[]) => {
      if (runIds.length < 2) throw new CliError('[cli] runs compare needs at least two run ids.', ExitCode.USAGE);
      const comparison = await context.withLogbook((lb) => lb.tracker.compareRuns(runIds));
      context.print(comparison, renderComparison);
    });
}

function renderComparison(c: RunComparison): string {
  // Columns are named by run name when the names tell the runs apart, else by run id.
  const names = c.runs.map((r) => r.runName);
  const headers = new Set(names).size === names.length ? names : c.runs.map((r) => r.runId);
  const rows = (
    title: string,
    entries: readonly { key: string; values: readonly (string | number | undefined)[]; differs: boolean }[],
    format: (v: string | number | undefined) => string,
  ): string => {
    if (entries.length === 0) return `${title}: (none)\n`;
    return renderTable(
      ['', title.toUpperCase(), ...headers],
      entries.map((e) => [e.differs ? '*' : '', e.key, ...e.values.map(format)]),
    );
  };
  return [
    renderTable(['RUN', 'RUN ID', 'STATUS'], c.runs.map((r, i) => [headers[i] ?? '', r.runId, r.status])),
    rows('Param', c.params, (v) => formatText(v as string | undefined, 40)),
    rows('Metric', c.metrics, (v) => formatNumber(v as number | undefined)),
    '* = the values differ\n',
  ].join('\n');
}
