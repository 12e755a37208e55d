import type { Logbook, ModelVersion, RegisteredModel } from '@logbook/core';
import type { Command } from 'commander';
import type { CommandContext } from '../command-context.js';
import { renderTable } from '../format/table.js';
import { formatText, formatTime } from '../format/values.js';

/** `logbook models list | versions <name>`. */
export function registerModelCommands(program: Command, context: CommandContext): void {
  const models = program.command('models').description('registered models and their versions');
  models
    .command('list')
    .description('registered models with their latest version per stage')
    .action(async () => {
      const list = await context.withLogbook(allModels);
      context.print(list, renderModels);
    });
  models
    .command('versions')
    .description('every version of a registered model: stage, semver, run, aliases')
    .argument('<name>', 'the registered model')
    .action(async (name: string) => {
      const versions = await context.withLogbook(async (lb) => {
        await lb.registry.getModel(name); // an unknown model is a not-found error, not an empty list
        return lb.registry.getModelVersions(name);
      });
      // A value of @logbook/core, loaded with the store rather than when the program is built.
      const { SEMVER_TAG } = await import('@logbook/core');
      context.print(versions, (v) => renderVersions(v, SEMVER_TAG));
    });
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

function renderModels(models: readonly RegisteredModel[]): string {
  if (models.length === 0) return 'No registered models.\n';
  return renderTable(
    ['NAME', 'LATEST VERSIONS', 'ALIASES', 'UPDATED'],
    models.map((m) => [
      m.name,
      m.latestVersions.map((v) => `${v.version} (${v.currentStage})`).join(', ') || '-',
      Object.entries(m.aliases).map(([alias, v]) => `${alias}=${v}`).join(', ') || '-',
      formatTime(m.lastUpdatedTimestamp),
    ]),
  );
}

function renderVersions(versions: readonly ModelVersion[], semverTag: string): string {
  if (versions.length === 0) return 'No versions.\n';
  const sorted = [...versions].sort((a, b) => Number(b.version) - Number(a.version));
  return renderTable(
    ['VERSION', 'STAGE', 'SEMVER', 'RUN ID', 'CREATED', 'ALIASES', 'SOURCE'],
    sorted.map((v) => [
      v.version,
      v.currentStage,
      v.tags[semverTag] ?? '-',
      v.runId ?? '-',
      formatTime(v.creationTimestamp),
      v.aliases.join(', ') || '-',
      formatText(v.source),
    ]),
  );
}
