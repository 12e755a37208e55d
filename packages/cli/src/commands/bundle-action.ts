import { resolve } from 'node:path';
import { exportBundle, handlesSqliteUri, sqlitePathFromUri, verifyBundle } from '@logbook/sqlite';
import type { BundleManifest } from '@logbook/sqlite';
import type { CommandContext } from '../command-context.js';
import { CliError, ExitCode } from '../exit-codes.js';
import { humanBytes } from './sync-progress.js';

/** Flags of `logbook bundle export`. */
export interface ExportFlags {
  readonly out: string;
  readonly sinceLastExport?: boolean;
  readonly all?: boolean;
  readonly experiment?: readonly string[];
}

function renderManifest(m: BundleManifest, file: string, verb: string): string {
  const c = m.counts;
  return (
    [
      `${verb} ${file}`,
      `  format      ${m.formatVersion}`,
      `  station     ${m.stationId}`,
      `  seq         ${m.seq.from} .. ${m.seq.to} (${m.mode})${m.experimentNames === undefined ? '' : `, experiments: ${m.experimentNames.join(', ')}`}`,
      `  entities    ${c.experiments} experiments, ${c.runs} runs, ${c.params} params, ${c.tags} tags, ${c.metrics} points`,
      `  registry    ${c.registeredModels} models, ${c.modelVersions} versions`,
      `  deletions   ${c.tombstones}`,
      `  artifacts   ${c.artifacts} files, ${humanBytes(c.artifactBytes)}`,
      `  parts       ${m.parts.length}, SHA-256 checked`,
    ].join('\n') + '\n'
  );
}

/** `logbook bundle export`: the configured SQLite database (or --tracking-uri) to one file. */
export async function runBundleExport(flags: ExportFlags, context: CommandContext): Promise<void> {
  if (flags.all === true && flags.sinceLastExport === true) {
    throw new CliError('[cli] Give --since-last-export or --all, not both.', ExitCode.USAGE);
  }
  const cwd = context.io.cwd ?? process.cwd();
  const uri = (await context.config()).trackingUri;
  if (!handlesSqliteUri(uri) || sqlitePathFromUri(uri) === ':memory:') {
    throw new CliError('[cli] bundle export reads a Logbook database file; the tracking URI is not one (use --tracking-uri <logbook.db>).', ExitCode.USAGE);
  }
  const out = resolve(cwd, flags.out);
  const manifest = await exportBundle(resolve(cwd, sqlitePathFromUri(uri)), out, {
    mode: flags.all === true ? 'all' : 'since-last-export',
    ...(flags.experiment === undefined ? {} : { experimentNames: flags.experiment }),
  });
  context.print({ file: out, ...manifest }, (m) => renderManifest(m, out, 'Wrote'));
}

/** `logbook bundle verify FILE`: exit 0 when intact, 4 (DATA_LOSS / SCHEMA_TOO_NEW) or 2 (not a bundle) otherwise. */
export async function runBundleVerify(file: string, context: CommandContext): Promise<void> {
  const path = resolve(context.io.cwd ?? process.cwd(), file);
  const manifest = await verifyBundle(path);
  context.print({ file: path, ok: true, ...manifest }, (m) => renderManifest(m, path, 'OK'));
}
