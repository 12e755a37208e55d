import type { Experiment, Run } from '@logbook/core';
import type { Command } from 'commander';
import type { CommandContext } from '../command-context.js';
import { renderSection, renderTable } from '../format/table.js';
import { formatDuration, formatNumber, formatTime } from '../format/values.js';
import { parentOf, renderRuns } from '../format/runs.js';

/** What `runs show` prints (and its `--json` shape). */
export interface RunDetails {
  readonly run: Run;
  readonly experiment: Experiment;
  readonly children: readonly Run[];
}

/** `logbook runs show <id>`: a run's info, params, latest metrics, tags and child runs. */
export function registerRunsShow(runs: Command, context: CommandContext): void {
  runs
    .command('show')
    .description("a run's params, latest metrics, tags and child runs")
    .argument('<run-id>')
    .action(async (runId: string) => {
      const details = await context.withLogbook(async (lb): Promise<RunDetails> => {
        const run = await lb.tracker.getRun(runId);
        const [experiment, children] = await Promise.all([lb.tracker.getExperiment(run.info.experimentId), lb.tracker.getChildRuns(runId)]);
        return { run, experiment, children };
      });
      context.print(details, renderDetails);
    });
}

function renderDetails({ run, experiment, children }: RunDetails): string {
  const { info, data } = run;
  const byKey = <T extends { key: string }>(a: T, b: T): number => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
  const sortedEntries = (record: Readonly<Record<string, string>>): [string, string][] => Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const parts = [
    renderSection(`Run ${info.runId}`, [
      ['name', info.runName],
      ['experiment', `${experiment.name} [${experiment.experimentId}]`],
      ['status', info.status],
      ['started', formatTime(info.startTime)],
      ['ended', formatTime(info.endTime)],
      ['duration', formatDuration(info.startTime, info.endTime)],
      ['user', info.userId],
      ['parent', parentOf(run) ?? '-'],
      ['artifacts', info.artifactUri],
    ]),
    renderSection('Params', sortedEntries(data.params)),
    data.metrics.length === 0
      ? 'Metrics: (none)\n'
      : `Metrics (latest):\n${indent(
          renderTable(
            ['KEY', 'VALUE', 'STEP', 'TIMESTAMP'],
            [...data.metrics].sort(byKey).map((m) => [m.key, formatNumber(m.value), String(m.step), formatTime(m.timestamp)]),
          ),
        )}`,
    renderSection('Tags', sortedEntries(data.tags)),
    children.length === 0 ? 'Child runs: (none)\n' : `Child runs:\n${indent(renderRuns(children))}`,
  ];
  return parts.join('\n');
}

function indent(text: string): string {
  return text.replace(/^(?=.)/gm, '  ');
}
