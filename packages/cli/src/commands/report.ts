import type { Command } from 'commander';
import type { CommandContext } from '../command-context.js';
import { collect } from './resolve.js';

interface ReportCommandOptions {
  readonly experiment: string[];
  readonly run: string[];
  readonly filter?: string;
  readonly out: string;
}

/** `logbook report`: one self-contained HTML file of metric charts, comparison, parallel coordinates, run tree and models. */
export function registerReportCommands(program: Command, context: CommandContext): void {
  program
    .command('report')
    .description('write one self-contained HTML file (no network needed) with metric charts, a comparison table, parallel coordinates, the run tree and the registered models')
    .option('-e, --experiment <name>', 'runs of this experiment (repeatable; default: every experiment)', collect, [] as string[])
    .option('-r, --run <id>', 'this run (repeatable)', collect, [] as string[])
    .option('--filter <expr>', `MLflow search filter over the experiments' runs, e.g. "metrics.loss < 1"`)
    .option('-o, --out <file>', 'where to write the page', 'report.html')
    .action(async (options: ReportCommandOptions) => {
      const { resolve } = await import('node:path');
      const { writeReport } = await import('../report/index.js');
      const path = resolve(options.out);
      const written = await context.withLogbook((lb) =>
        writeReport(
          lb.stores.tracking,
          {
            experiments: options.experiment,
            runIds: options.run,
            ...(options.filter === undefined ? {} : { filter: options.filter }),
          },
          path,
          { registry: lb.stores.registry },
        ),
      );
      const summary = {
        path: written.path,
        bytes: written.bytes,
        runs: written.data.runs.length,
        metrics: written.data.charts.length,
        downsampledSeries: written.data.downsampledSeries,
      };
      context.print(
        summary,
        (s) =>
          `Wrote ${s.path} (${(s.bytes / 1e6).toFixed(2)} MB): ${s.runs} runs, ${s.metrics} metrics` +
          (s.downsampledSeries > 0 ? `, ${s.downsampledSeries} series downsampled for display` : '') +
          '.\n',
      );
    });
}
