import type { RunInfo, RunStatus } from '@logbook/core';
import type { Command } from 'commander';
import type { CommandContext } from '../command-context.js';
import { CliError, ExitCode } from '../exit-codes.js';
import { formatTime } from '../format/values.js';
import { endStatus, timeValue } from './run-options.js';
import type { EndStatus } from './run-options.js';

/**
 * `logbook runs end <run-id> [--status KILLED|FAILED|FINISHED] [--end-time <time>]`: ends a run
 * left RUNNING by a process that died (killed, out of memory, a lost machine). The only command
 * that writes; it opens an existing store and never creates one.
 */
export function registerRunsEnd(runs: Command, context: CommandContext): void {
  runs
    .command('end')
    .description('end a run left RUNNING by a process that died (default status KILLED)')
    .argument('<run-id>')
    .option('--status <status>', 'KILLED, FAILED or FINISHED (default KILLED)', endStatus)
    .option('--end-time <time>', 'milliseconds since the epoch or an ISO 8601 date (default now)', timeValue)
    .action(async (runId: string, options: { status?: EndStatus; endTime?: number }) => {
      const status = (options.status ?? 'KILLED') as RunStatus;
      const ended = await context.withLogbook(async (lb) => {
        const { info } = await lb.tracker.getRun(runId);
        if (info.status !== 'RUNNING') {
          throw new CliError(`[cli] Run ${runId} is ${info.status}, not RUNNING; only a RUNNING run can be ended.`, ExitCode.CONFLICT);
        }
        const endTime = options.endTime ?? Date.now();
        if (endTime < info.startTime) {
          throw new CliError(`[cli] --end-time ${formatTime(endTime)} is before the run's start, ${formatTime(info.startTime)}.`, ExitCode.USAGE);
        }
        return lb.stores.tracking.updateRun(runId, { status, endTime });
      }, 'write');
      context.print(ended, renderEnded);
    });
}

function renderEnded(info: RunInfo): string {
  return `Run ${info.runId} (${info.runName}) is now ${info.status}, ended ${formatTime(info.endTime)}.\n`;
}
