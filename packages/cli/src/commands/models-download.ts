import type { Command } from 'commander';
import type { CommandContext } from '../command-context.js';

/** `logbook models download <name> <version> --out <file>`: a version's bytes, SHA-256 checked. */
export function registerModelsDownload(models: Command, context: CommandContext): void {
  models
    .command('download')
    .description("write a version's bytes to a file, streamed and SHA-256 checked (nothing is left on a mismatch)")
    .argument('<name>', 'the registered model')
    .argument('<version>', 'number, latest, stage, semver, semver range or alias')
    .requiredOption('--out <file>', 'where to write the bytes (must not exist)')
    .action(async (name: string, ref: string, options: { out: string }) => {
      const { download } = await import('./models-download-action.js');
      const written = await context.withLogbook((lb) => download(lb, context.io.cwd ?? process.cwd(), name, ref, options.out));
      context.print(written, (w) => `Wrote ${w.size} B (SHA-256 ${w.sha256}) of version ${w.version} of model '${w.name}' to ${w.path}.\n`);
    });
}
