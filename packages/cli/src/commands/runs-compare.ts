import type { Command } from 'commander';
import type { CommandContext } from '../command-context.js';
import { CliError, ExitCode } from '../exit-codes.js';

/** `logbook runs compare <id> <id>…`: params and latest metrics side by side, differences marked `*`. */
export function registerRunsCompare(runs: Command, context: CommandContext): void {
  runs
    .command('compare')
    .description('params and latest metrics of runs side by side; rows whose values differ are marked *')
    .argument('<run-ids...>', 'two or more run ids')
    .action(async (runIds: string[]) => {
      if (runIds.length < 2) throw new CliError('[cli] runs compare needs at least two run ids.', ExitCode.USAGE);
      const comparison = await context.withLogbook((lb) => lb.tracker.compareRuns(runIds));
      const { renderComparison } = await import('../format/comparison.js');
      context.print(comparison, renderComparison);
    });
}
