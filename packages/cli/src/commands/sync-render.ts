import type { SyncReport, SyncStatus } from '@logbook/core';
import type { SyncEntityKind } from '@logbook/core/spi';
import { formatTime } from '../format/values.js';
import { humanBytes } from './sync-progress.js';

const KINDS: readonly SyncEntityKind[] = ['experiment', 'run', 'registered_model', 'model_version'];
/** Conflicts and failures listed in the text summary (all of them with --json). */
const LISTED = 20;

function counts(byKind: Readonly<Record<SyncEntityKind, number>>): string {
  return KINDS.map((k) => `${k.replace('_', ' ')}s ${byKind[k] ?? 0}`).join(', ');
}

/** The text of a sync report: the plan for a dry run, the summary otherwise. */
export function renderReport(report: SyncReport, source: string, target: string): string {
  const lines = [
    report.dryRun ? `Plan for ${source} -> ${target} (dry run: nothing was written)` : `Synced ${source} -> ${target} in ${(report.durationMs / 1000).toFixed(1)} s`,
    `  ${report.dryRun ? 'to create' : 'created'}  ${counts(report.created)}`,
    `  ${report.dryRun ? 'to update' : 'updated'}  ${counts(report.updated)}`,
    `  ${report.dryRun ? 'to skip  ' : 'skipped'}  ${counts(report.skipped)}`,
    `  ${report.dryRun ? 'to delete' : 'deleted'}  ${counts(report.deleted)}`,
    `  points     ${report.points}`,
    `  artifacts  ${humanBytes(report.artifactBytes)}`,
    `  conflicts  ${report.conflicts.length}`,
    `  failures   ${report.failures.length}`,
  ];
  for (const c of report.conflicts.slice(0, LISTED)) lines.push(`conflict ${c.kind} ${c.localId}${c.remoteId === undefined ? '' : ` (remote ${c.remoteId})`}: ${c.message} [${c.policy}]`);
  for (const f of report.failures.slice(0, LISTED)) lines.push(`failed   ${f.kind} ${f.localId}: ${f.error}`);
  const more = Math.max(report.conflicts.length - LISTED, 0) + Math.max(report.failures.length - LISTED, 0);
  if (more > 0) lines.push(`… and ${more} more (use --json for all)`);
  return `${lines.join('\n')}\n`;
}

/** The text of `logbook sync status` for one target. */
export function renderStatus(status: SyncStatus): string {
  const byKind = new Map<SyncEntityKind, number>();
  for (const m of status.mappings) byKind.set(m.kind, (byKind.get(m.kind) ?? 0) + 1);
  const lines = [
    `target        ${status.targetId}`,
    `cursor        ${status.ackedSeq} of ${status.currentSeq}`,
    `backlog       ${status.backlog.runs} runs, ${status.backlog.points} points, ${humanBytes(status.backlog.bytes)}`,
    `last success  ${status.lastSuccessAt === undefined ? 'never' : formatTime(status.lastSuccessAt)}`,
    `last error    ${status.lastError === undefined ? '-' : `${formatTime(status.lastError.at)} ${status.lastError.message}`}`,
    `mapped        ${KINDS.map((k) => `${k.replace('_', ' ')}s ${byKind.get(k) ?? 0}`).join(', ')}`,
  ];
  for (const m of status.mappings.slice(0, LISTED)) lines.push(`  ${m.kind.padEnd(16)} ${m.localId} -> ${m.remoteId}`);
  if (status.mappings.length > LISTED) lines.push(`  … and ${status.mappings.length - LISTED} more (use --json for all)`);
  return `${lines.join('\n')}\n`;
}
