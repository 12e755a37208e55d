import type { LineageEntry, ModelVersion } from '@logbook/core';
import type { Command } from 'commander';
import type { CommandContext } from '../command-context.js';

/** What `models show` prints (and its `--json` shape). */
export interface VersionDetails {
  readonly version: ModelVersion;
  /** The version, then its parent, grandparent… */
  readonly lineage: readonly LineageEntry[];
}

/** `logbook models show <name> <version>` and `logbook models compare <name> <v1> <v2>`. */
export function registerModelsShow(models: Command, context: CommandContext): void {
  models
    .command('show')
    .description('one version: stage, semver, bytes (SHA-256, size), run, code version, datasets, lineage')
    .argument('<name>', 'the registered model')
    .argument('<version>', 'number, latest, stage, semver, semver range or alias')
    .action(async (name: string, ref: string) => {
      const details = await context.withLogbook(async (lb): Promise<VersionDetails> => {
        const version = await lb.registry.getModelVersion(name, ref);
        return { version, lineage: await lb.versioning.getLineage(name, version.version) };
      });
      const { renderVersionDetails } = await import('../format/registry.js');
      context.print(details, renderVersionDetails);
    });
  models
    .command('compare')
    .description('two versions side by side: source-run metrics with deltas, differing params, bytes, stages, lineage, live metrics')
    .argument('<name>', 'the registered model')
    .argument('<v1>', 'the base version (any version reference)')
    .argument('<v2>', 'the version compared with it; deltas are v2 - v1')
    .action(async (name: string, v1: string, v2: string) => {
      const comparison = await context.withLogbook((lb) => lb.versioning.compareModelVersions(name, v1, v2));
      const { renderVersionComparison } = await import('../format/registry.js');
      context.print(comparison, renderVersionComparison);
    });
}
