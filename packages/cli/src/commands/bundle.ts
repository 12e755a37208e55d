import type { Command } from 'commander';
import type { CommandContext } from '../command-context.js';
import { collect } from './sync.js';

/** `logbook bundle export|verify`: air-gap bundles (one file per trip, pushed with `logbook sync --from`). */
export function registerBundleCommands(program: Command, context: CommandContext): void {
  const bundle = program.command('bundle').description('air-gap bundles: export changes to one file, verify a file');

  bundle
    .command('export')
    .description('write what changed (or everything) to one file: entities, artifacts, manifest with SHA-256 of every part')
    .requiredOption('--out <file>', 'the bundle to write (e.g. station-7.lbk)')
    .option('--since-last-export', 'only what changed since the last export (the default)')
    .option('--all', 'everything in the database')
    .option('--experiment <name>', 'only this experiment (repeatable)', collect)
    .action(async (flags: import('./bundle-action.js').ExportFlags) => {
      const { runBundleExport } = await import('./bundle-action.js');
      await runBundleExport(flags, context);
    });

  bundle
    .command('verify')
    .description('check a bundle (format, completeness, SHA-256 of every part) without importing it')
    .argument('<file>', 'the bundle')
    .action(async (file: string) => {
      const { runBundleVerify } = await import('./bundle-action.js');
      await runBundleVerify(file, context);
    });
}
