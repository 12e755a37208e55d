import type { Logbook, Metric } from '@logbook/core';
import type { Command } from 'commander';
import type { CommandContext } from '../command-context.js';
import { CliError, ExitCode } from '../exit-codes.js';
import { writeJsonArray } from '../format/json.js';
import { writeTable } from '../format/table.js';
import { formatNumber, formatTime } from '../format/values.js';

/** Points read per page (MLflow's get-history page size). */
const PAGE_SIZE = 25_000;

/** `logbook metrics <run-id> <key>`: every point of one metric of a run. */
export function registerMetricCommands(program: Command, context: CommandContext): void {
  program
    .command('metrics')
    .description('the history of one metric of a run (every logged point)')
    .argument('<run-id>')
    .argument('<key>', 'the metric, e.g. val_loss')
    .action(async (runId: string, key: string) => {
      const history = await context.withLogbook(async (lb) => {
        const points = await readHistory(lb, runId, key);
        if (points.length > 0) return points;
        // No points: tell an unknown run (the store's not-found error) from an unknown key.
        const run = await lb.tracker.getRun(runId);
        const keys = run.data.metrics.map((m) => m.key).sort();
        throw new CliError(`[cli] Run ${runId} has no metric '${key}'; ${keys.length === 0 ? 'it has no metrics' : `its metrics are: ${keys.join(', ')}`}.`, ExitCode.NOT_FOUND);
      });
      const write = context.io.stdout;
      if (context.json) writeJsonArray(write, history);
      else writeTable(write, ['STEP', 'VALUE', 'TIMESTAMP'], history.length, (i) => historyRow(history[i]!));
    });
}

/**
 * Every point, page by page from the store, into one array: the points are held once (the
 * output is then written in slices), never as pages plus their concatenation plus the text.
 */
async function readHistory(lb: Logbook, runId: string, key: string): Promise<Metric[]> {
  const points: Metric[] = [];
  let pageToken: string | undefined;
  do {
    const page = await lb.stores.tracking.getMetricHistory(runId, key, { maxResults: PAGE_SIZE, ...(pageToken === undefined ? {} : { pageToken }) });
    for (const point of page.items) points.push(point);
    pageToken = page.nextPageToken;
  } while (pageToken !== undefined);
  return points;
}

function historyRow(p: Metric): readonly string[] {
  return [String(p.step), formatNumber(p.value), formatTime(p.timestamp)];
}
