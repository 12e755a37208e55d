import { createRequire } from 'node:module';
import { Command } from 'commander';
import { CommandContext } from './command-context.js';
import type { GlobalOptions } from './command-context.js';
import { COMMANDS } from './commands/index.js';
import type { CliIo } from './io.js';

const { version } = createRequire(import.meta.url)('../package.json') as { version: string };

/**
 * Builds a fresh `logbook` program (commander keeps parse state, so one per run). Commander's own
 * errors (unknown command, missing argument, bad option value) are thrown, not exited on, so
 * {@link run} decides the exit code.
 */
export function buildProgram(io: CliIo): Command {
  const program = new Command('logbook')
    .description('Query Logbook experiments, runs, metrics and registered models.')
    .version(version)
    .option('--tracking-uri <uri>', 'where runs are read from (overrides LOGBOOK_TRACKING_URI and logbook.config.json; default ./logbook.db)')
    .option('--json', 'print JSON instead of tables, for scripts')
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .showSuggestionAfterError(true);
  const context = new CommandContext(io, () => program.opts<GlobalOptions>());
  for (const register of COMMANDS) register(program, context);
  return program;
}
