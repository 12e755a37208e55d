import type { Command } from 'commander';
import type { CommandContext } from '../command-context.js';
import { renderRuns } from '../format/runs.js';
import { collect, positiveInteger, resolveExperiment } from './resolve.js';
import { registerRunsCompare } from './runs-compare.js';
import { registerRunsEnd } from './runs-end.js';
import { registerRunsShow } from './runs-show.js';
import { registerRunsStale } from './runs-stale.js';

/** Runs listed when `--max-results` is not given (MLflow's search-runs default page). */
export const DEFAULT_MAX_RESULTS = 1000;

/** `logbook runs list | show | compare | stale | end`. */
export function registerRunCommands(program: Command, context: CommandContext): void {
  const runs = program.command('runs').description('list, show and compare runs; find and end runs left RUNNING');
  runs
    .command('list')
    .description('runs of one experiment, newest first unless --order-by says otherwise')
    .requiredOption('-e, --experiment <name|id>', 'the experiment, by name or id')
    .option('--filter <expr>', `MLflow search filter, e.g. "metrics.val_loss < 1 and params.learningRate = '0.01'"`)
    .option('--order-by <clause>', 'e.g. "metrics.val_loss ASC" (repeatable)', collect, [] as string[])
    .option('--max-results <n>', `at most n runs (default ${DEFAULT_MAX_RESULTS})`, positiveInteger)
    .action(async (options: { experiment: string; filter?: string; orderBy: string[]; maxResults?: number }) => {
      const found = await context.withLogbook(async (lb) => {
        const experiment = await resolveExperiment(lb, options.experiment);
        return lb.tracker.searchRuns({
          experimentIds: [experiment.experimentId],
          maxResults: options.maxResults ?? DEFAULT_MAX_RESULTS,
          ...(options.filter === undefined ? {} : { filter: options.filter }),
          ...(options.orderBy.length === 0 ? {} : { orderBy: options.orderBy }),
        });
      });
      context.print(found.items, renderRuns);
      if (found.nextPageToken !== undefined && !context.json) {
        context.io.stderr(`More runs match; raise --max-results (now ${options.maxResults ?? DEFAULT_MAX_RESULTS}) to see them.\n`);
      }
    });
  registerRunsShow(runs, context);
  registerRunsCompare(runs, context);
  registerRunsStale(runs, context);
  registerRunsEnd(runs, context);
}
