import type { Metric } from '@logbook/core';
import type { Command } from 'commander';
import type { CommandContext } from '../command-context.js';
import { CliError, ExitCode } from '../exit-codes.js';
import { renderTable } from '../format/table.js';
import { formatNumber, formatTime } from '../format/values.js';

/** `logbook metrics <run-id> <key>`: every point of one metric of a run. */
export function registerMetricCommands(program: Command, context: CommandContext): void {
  program
    .command('metrics')
    .description('the history of one metric of a run (every logged point)')
    .argument('<run-id>')
    .argument('<key>', 'the metric, e.g. val_loss')
    .action(async (runId: string, key: string) => {
      const history = await context.withLogbook(async (lb) => {
        const points = await lb.tracker.getMetricHistory(runId, key);
        if (points.length > 0) return points;
        // No points: tell an unknown run (the store's not-found error) from an unknown key.
        const run = await lb.tracker.getRun(runId);
        const keys = run.data.metrics.map((m) => m.key).sort();
        throw new CliError(
          `[cli] Run ${runId} has no metric '${key}'; ${keys.length === 0 ? 'it has no metrics' : `its metrics are: ${keys.join(', ')}`}.`,
          ExitCode.NOT_FOUND,
        );
      });
      context.print(history, renderHistory);
    });
}

function renderHistory(points: readonly Metric[]): string {
  return renderTable(['STEP', 'VALUE', 'TIMESTAMP'], points.map((p) => [String(p.step), formatNumber(p.value), formatTime(p.timestamp)]));
}
