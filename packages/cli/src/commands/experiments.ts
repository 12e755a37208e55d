import type { Experiment, ExperimentTreeNode } from '@logbook/core';
import type { Command } from 'commander';
import type { CommandContext } from '../command-context.js';
import { renderTable } from '../format/table.js';
import { formatTime } from '../format/values.js';

/** `logbook experiments list [--tree] [--prefix <name>]`. */
export function registerExperimentCommands(program: Command, context: CommandContext): void {
  const experiments = program.command('experiments').description('list experiments');
  experiments
    .command('list')
    .description('active experiments, by name (hierarchical names `a/b/c` as a tree with --tree)')
    .option('--tree', 'show the `/`-separated name hierarchy')
    .option('--prefix <name>', 'only experiments named <name> or <name>/…')
    .action(async (options: { tree?: boolean; prefix?: string }) => {
      const tree = await context.withLogbook((lb) => lb.tracker.listExperimentTree(options.prefix));
      if (options.tree === true) context.print(tree, renderTree);
      else context.print(flatten(tree), renderList);
    });
}

/** The experiments of a tree, in name order. */
function flatten(nodes: readonly ExperimentTreeNode[]): Experiment[] {
  return nodes.flatMap((n) => [...(n.experiment === undefined ? [] : [n.experiment]), ...flatten(n.children)]);
}

function renderList(experiments: readonly Experiment[]): string {
  if (experiments.length === 0) return 'No experiments.\n';
  return renderTable(
    ['ID', 'NAME', 'CREATED', 'ARTIFACT LOCATION'],
    experiments.map((e) => [e.experimentId, e.name, formatTime(e.creationTime), e.artifactLocation]),
  );
}

function renderTree(nodes: readonly ExperimentTreeNode[]): string {
  if (nodes.length === 0) return 'No experiments.\n';
  const lines: string[] = [];
  const walk = (node: ExperimentTreeNode, depth: number): void => {
    const id = node.experiment === undefined ? '' : `  [${node.experiment.experimentId}]`;
    lines.push(`${'  '.repeat(depth)}${node.name}${node.children.length > 0 ? '/' : ''}${id}`);
    for (const child of node.children) walk(child, depth + 1);
  };
  for (const node of nodes) walk(node, 0);
  return `${lines.join('\n')}\n`;
}
