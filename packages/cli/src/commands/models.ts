import type { Logbook, RegisteredModel } from '@logbook/core';
import type { Command } from 'commander';
import type { CommandContext } from '../command-context.js';
import { registerModelsDeploy } from './models-deploy.js';
import { registerModelsDownload } from './models-download.js';
import { registerModelsRegister } from './models-register.js';
import { registerModelsShow } from './models-show.js';
import { registerModelsStage } from './models-stage.js';

/**
 * `logbook models list | versions | register | show | download | compare | transition | rollback | archive |
 * deploy | monitor`. Every `<version>` argument is a version reference as the library reads it
 * (`3`, `latest`, `Production`, `1.2.0`, `^1.2`, `champion`).
 */
export function registerModelCommands(program: Command, context: CommandContext): void {
  const models = program.command('models').description('registered models: versions, bytes, stages, rollbacks, deployments, monitoring');
  models
    .command('list')
    .description('registered models with their latest version per stage')
    .action(async () => {
      const list = await context.withLogbook(allModels);
      const { renderModels } = await import('../format/models.js');
      context.print(list, renderModels);
    });
  models
    .command('versions')
    .description('every version of a registered model: stage, semver, run, aliases')
    .argument('<name>', 'the registered model')
    .action(async (name: string) => {
      const versions = await context.withLogbook(async (lb) => {
        await lb.registry.getModel(name); // an unknown model is a not-found error, not an empty list
        return lb.registry.listModelVersions(name);
      });
      const { renderVersions } = await import('../format/models.js');
      context.print(versions, renderVersions);
    });
  registerModelsRegister(models, context);
  registerModelsShow(models, context);
  registerModelsDownload(models, context);
  registerModelsStage(models, context);
  registerModelsDeploy(models, context);
}

/** Every registered model, by name (all pages). */
async function allModels(logbook: Logbook): Promise<RegisteredModel[]> {
  const models: RegisteredModel[] = [];
  let pageToken: string | undefined;
  do {
    const page = await logbook.registry.listModels({ orderBy: ['name ASC'], ...(pageToken === undefined ? {} : { pageToken }) });
    models.push(...page.items);
    pageToken = page.nextPageToken || undefined;
  } while (pageToken !== undefined);
  return models;
}
