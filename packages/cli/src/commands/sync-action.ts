import { syncLogbook } from '@logbook/core';
import type { ConflictPolicy, SyncReport, SyncStatus } from '@logbook/core';
import type { SyncSource } from '@logbook/core/spi';
import type { CommandContext } from '../command-context.js';
import { CliError, ExitCode } from '../exit-codes.js';
import { cliConfig } from '../open-logbook.js';
import { openSource, openTarget, syncTargetId } from './sync-endpoints.js';
import { SyncProgressView } from './sync-progress.js';
import { renderReport, renderStatus } from './sync-render.js';

/** Flags of `logbook sync`. */
export interface SyncFlags {
  readonly to?: string;
  readonly from?: string;
  readonly dryRun?: boolean;
  readonly experiment?: readonly string[];
  readonly run?: readonly string[];
  readonly conflictPolicy?: string;
  readonly rescanArtifacts?: boolean;
}

function conflictPolicy(value: string | undefined): ConflictPolicy {
  if (value === undefined || value === 'skip' || value === 'fail-run') return value ?? 'skip';
  throw new CliError(`[cli] --conflict-policy must be 'skip' or 'fail-run'; got '${value}'.`, ExitCode.USAGE);
}

/**
 * `logbook sync`: opens the source first (a corrupt, truncated or newer file is refused before
 * the target is contacted), then the target, and runs the engine with a progress view on
 * standard error. Ctrl-C stops it cleanly (what was acknowledged stays acknowledged). Exit 0 when
 * everything went through, SYNC_INCOMPLETE when anything failed or conflicted.
 */
export async function runSync(flags: SyncFlags, context: CommandContext): Promise<void> {
  const policy = conflictPolicy(flags.conflictPolicy);
  // Not a commander `requiredOption`: it would be required by `sync status` too.
  if (flags.to === undefined) throw new CliError("[cli] error: required option '--to <uri>' not specified.", ExitCode.USAGE);
  const { source, path } = await openSource(flags.from, context.io);
  let report: SyncReport;
  let targetName: string;
  const abort = new AbortController();
  const onSignal = () => abort.abort();
  try {
    const opened = await openTarget(flags.to, context.io, { dryRun: flags.dryRun === true });
    targetName = opened.display;
    // One cheap read first: a server that is down or refuses the credentials ends the command
    // with its own error (exit 4) instead of one failure per entity.
    await opened.target.tracking.searchExperiments({ maxResults: 1 }).catch(async (error: unknown) => {
      await opened.close();
      throw error;
    });
    const view = new SyncProgressView(context.io);
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    try {
      report = await syncLogbook(source, opened.target, {
        dryRun: flags.dryRun === true,
        conflictPolicy: policy,
        rescanArtifacts: flags.rescanArtifacts === true,
        signal: abort.signal,
        onProgress: view.update,
        ...(flags.experiment === undefined || flags.experiment.length === 0 ? {} : { experimentNames: flags.experiment }),
        ...(flags.run === undefined || flags.run.length === 0 ? {} : { runIds: flags.run }),
      });
    } finally {
      view.finish();
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      await opened.close();
    }
  } finally {
    await source.close();
  }
  context.print({ source: path, target: targetName, ...report }, (r) => renderReport(r, path, targetName));
  if (!report.ok) {
    throw new CliError(
      `[cli] Sync to ${targetName} incomplete: ${report.failures.length} failed, ${report.conflicts.length} conflicting (see above); run it again once fixed.`,
      ExitCode.SYNC_INCOMPLETE,
    );
  }
}

/** A source that can list the targets it has state for (when the engine's source offers it). */
interface ListsTargets {
  targets(): Promise<readonly string[]>;
}

function listsTargets(source: SyncSource): source is SyncSource & ListsTargets {
  return typeof (source as Partial<ListsTargets>).targets === 'function';
}

/** `logbook sync status`: backlog, last success and error, and the id map, per target. */
export async function runSyncStatus(flags: { readonly to?: string; readonly from?: string }, context: CommandContext): Promise<void> {
  const { source } = await openSource(flags.from, context.io);
  try {
    let ids: readonly string[];
    if (flags.to !== undefined) ids = [syncTargetId((await cliConfig(flags.to, context.io)).trackingUri)];
    else if (listsTargets(source)) ids = await source.targets();
    else throw new CliError('[cli] Say which target with --to <uri>.', ExitCode.USAGE);
    const statuses: SyncStatus[] = [];
    for (const id of ids) statuses.push(await source.status(id));
    context.print(statuses, (all) => (all.length === 0 ? 'Never synced.\n' : all.map(renderStatus).join('\n')));
  } finally {
    await source.close();
  }
}
