import type { Command } from 'commander';
import type { CommandContext } from '../command-context.js';

/** Commander's collector of a repeatable option (`--experiment a --experiment b`). */
export function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/**
 * `logbook sync --to URI` and `logbook sync status`: push a Logbook database or an air-gap bundle
 * to an MLflow server (or another database), exactly once, and show what is left to push. The
 * engine and the stores load only when the command runs.
 */
export function registerSyncCommands(program: Command, context: CommandContext): void {
  const sync = program
    .command('sync')
    .description('push runs, metrics, artifacts and models to an MLflow server (or another database), exactly once')
    .option('--to <uri>', 'target (required): http(s):// MLflow server (credentials from MLFLOW_TRACKING_* or the config) or a Logbook database file')
    .option('--from <file>', 'a Logbook database or a bundle (.lbk) (default: the configured database, ./logbook.db)')
    .option('--dry-run', 'print the plan (create, update, skip, conflicts) and write nothing')
    .option('--experiment <name>', 'only this experiment (repeatable)', collect)
    .option('--run <id>', 'only this run (repeatable)', collect)
    .option('--conflict-policy <policy>', "'skip' (default: reported, exit 6) or 'fail-run'")
    .option('--rescan-artifacts', "also list every run's artifact folder, finished runs too, for files copied in by hand")
    .action(async (flags: import('./sync-action.js').SyncFlags) => {
      const { runSync } = await import('./sync-action.js');
      await runSync(flags, context);
    });

  sync
    .command('status')
    .description('backlog (runs, points, bytes), last success, last error and local -> remote ids per target')
    .option('--to <uri>', 'the target (default: every target the database has synced to)')
    .option('--from <file>', 'the Logbook database (default: the configured one)')
    .action(async (flags: { to?: string; from?: string }, command: Command) => {
      // `sync` has the same options: commander may hand them to the parent instead.
      const parent = command.parent?.opts<{ to?: string; from?: string }>() ?? {};
      const to = flags.to ?? parent.to;
      const from = flags.from ?? parent.from;
      const { runSyncStatus } = await import('./sync-action.js');
      await runSyncStatus({ ...(to === undefined ? {} : { to }), ...(from === undefined ? {} : { from }) }, context);
    });
}
