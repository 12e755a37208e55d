import type { Command } from 'commander';
import type { CommandContext } from '../command-context.js';

/** `logbook models transition | rollback | archive`: the commands that move versions between stages. */
export function registerModelsStage(models: Command, context: CommandContext): void {
  models
    .command('transition')
    .description('move a version to a stage (None, Staging, Production, Archived)')
    .argument('<name>', 'the registered model')
    .argument('<version>', 'number, latest, stage, semver, semver range or alias')
    .argument('<stage>', 'None, Staging, Production or Archived (any case)')
    .option('--archive-existing', 'archive the versions now in that stage (Staging and Production only)')
    .action(async (name: string, ref: string, stage: string, options: { archiveExisting?: boolean }) => {
      const moved = await context.withLogbook((lb) => lb.registry.transitionModelStage(name, ref, stage, options.archiveExisting === true), 'write');
      const { renderMoved } = await import('../format/registry.js');
      context.print(moved, (v) => renderMoved(v, 'is now in'));
    });
  models
    .command('rollback')
    .description('put a chosen version in Production, archive the ones it replaces, record a rollback deployment')
    .argument('<name>', 'the registered model')
    .argument('<version>', 'the version to bring back (any version reference)')
    .option('--keep-replaced', 'leave the versions it replaces in Production instead of archiving them')
    .option('--environment <env>', 'environment of the deployment event (default production)')
    .option('--by <who>', 'who rolled back (default logbook)')
    .action(async (name: string, ref: string, options: { keepReplaced?: boolean; environment?: string; by?: string }) => {
      const moved = await context.withLogbook(
        (lb) =>
          lb.versioning.rollbackModelVersion(name, ref, {
            replaced: options.keepReplaced === true ? 'keep' : 'archive',
            ...(options.environment === undefined ? {} : { environment: options.environment }),
            ...(options.by === undefined ? {} : { by: options.by }),
          }),
        'write',
      );
      const { renderMoved } = await import('../format/registry.js');
      context.print(moved, (v) => renderMoved(v, 'is back in'));
    });
  models
    .command('archive')
    .description('move a version to Archived')
    .argument('<name>', 'the registered model')
    .argument('<version>', 'number, latest, stage, semver, semver range or alias')
    .action(async (name: string, ref: string) => {
      const moved = await context.withLogbook((lb) => lb.versioning.archiveModelVersion(name, ref), 'write');
      const { renderMoved } = await import('../format/registry.js');
      context.print(moved, (v) => renderMoved(v, 'is now in'));
    });
}
