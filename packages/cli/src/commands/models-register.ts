import type { Command } from 'commander';
import type { CommandContext } from '../command-context.js';
import { bumpValue, datasetValue } from './model-options.js';
import type { DatasetOption } from './model-options.js';

/** Options of `models register`. */
export interface RegisterOptions {
  readonly runId?: string;
  readonly semver?: string;
  readonly bump?: 'major' | 'minor' | 'patch';
  readonly parent?: string;
  readonly description?: string;
  readonly fileName?: string;
  readonly by?: string;
  readonly allowDuplicate?: boolean;
  readonly dataset: readonly DatasetOption[];
}

/**
 * `logbook models register <name> <file | runs:/<run-id>/<path>>`: a file is streamed into the
 * store's artifact store with its SHA-256 (`createModelVersion`); a URI is registered as it is.
 */
export function registerModelsRegister(models: Command, context: CommandContext): void {
  models
    .command('register')
    .description('register a new version from a model file (streamed, SHA-256 recorded) or a runs:/ URI')
    .argument('<name>', 'the registered model (created when new)')
    .argument('<source>', 'a model file, or a URI such as runs:/<run-id>/model')
    .option('--run-id <id>', 'the training run (default for a runs:/ URI: its run)')
    .option('--semver <version>', 'semantic version, e.g. 1.2.0 (default: the highest one bumped)')
    .option('--bump <part>', 'major, minor or patch (default minor; files only)', bumpValue)
    .option('--parent <version>', 'the version this one derives from')
    .option('--description <text>')
    .option('--file-name <name>', "the bytes' file name in the artifact store (default: the file's name)")
    .option('--by <who>', 'who registers it (recorded as logbook.registeredBy)')
    .option('--dataset <name,digest,source>', 'an input dataset, recorded in its lineage (repeatable; files only)', datasetValue, [] as DatasetOption[])
    .option('--allow-duplicate', 'bytes already registered: print that version and exit 0 instead of exit 5')
    .action(async (name: string, source: string, options: RegisterOptions) => {
      // Loaded when the command runs: it needs @logbook/core.
      const { register, renderRegistered } = await import('./models-register-action.js');
      const registered = await context.withLogbook((lb) => register(lb, context.io.cwd ?? process.cwd(), name, source, options), 'write');
      context.print(registered, renderRegistered);
    });
}
