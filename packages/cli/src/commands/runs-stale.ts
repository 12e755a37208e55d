import type { Logbook, Run } from '@logbook/core';
import type { Command } from 'commander';
import type { CommandContext } from '../command-context.js';
import { renderTable } from '../format/table.js';
import { formatDuration, formatTime } from '../format/values.js';
import { positiveInteger, resolveExperiment } from './resolve.js';

/** Minutes without a write after which a RUNNING run is listed when `--minutes` is not given. */
export const DEFAULT_STALE_MINUTES = 60;

/** One row of `runs stale` (also its `--json` shape). */
export interface StaleRun {
  readonly runId: string;
  readonly runName: string;
  readonly experimentId: string;
  readonly startTime: number;
  /** The latest of the start time, the metrics' timestamps and (SQLite) the run row's last write. */
  readonly lastWriteTime: number;
  readonly idleMs: number;
}

/** What a store may offer beyond `TrackingStore`: the SQLite store's last write per run. */
interface RunUpdateTimes {
  getRunUpdateTimes(runIds: readonly string[]): Promise<ReadonlyMap<string, number>>;
}

function hasUpdateTimes(store: object): store is RunUpdateTimes {
  return typeof (store as Partial<RunUpdateTimes>).getRunUpdateTimes === 'function';
}

/**
 * `logbook runs stale [--minutes N] [--experiment <name|id>]`: RUNNING runs nothing was written
 * to for N minutes, most idle first: runs of processes that died without ending them.
 */
export function registerRunsStale(runs: Command, context: CommandContext): void {
  runs
    .command('stale')
    .description(`RUNNING runs with no write for --minutes (default ${DEFAULT_STALE_MINUTES}): left behind by processes that died`)
    .option('--minutes <n>', `minutes without a write (default ${DEFAULT_STALE_MINUTES})`, positiveInteger)
    .option('-e, --experiment <name|id>', 'only this experiment (default: every active experiment)')
    .action(async (options: { minutes?: number; experiment?: string }) => {
      const idleMs = (options.minutes ?? DEFAULT_STALE_MINUTES) * 60_000;
      const stale = await context.withLogbook(async (lb) => {
        const experimentIds = options.experiment === undefined ? await activeExperimentIds(lb) : [(await resolveExperiment(lb, options.experiment)).experimentId];
        return staleRuns(lb, experimentIds, idleMs, Date.now());
      });
      context.print(stale, renderStale);
    });
}

async function activeExperimentIds(lb: Logbook): Promise<string[]> {
  const ids: string[] = [];
  let pageToken: string | undefined;
  do {
    const page = await lb.stores.tracking.searchExperiments({ maxResults: 1000, ...(pageToken === undefined ? {} : { pageToken }) });
    for (const e of page.items) ids.push(e.experimentId);
    pageToken = page.nextPageToken;
  } while (pageToken !== undefined);
  return ids;
}

async function runningRuns(lb: Logbook, experimentIds: readonly string[]): Promise<Run[]> {
  const found: Run[] = [];
  // MLflow's search-runs takes at most 100 experiment ids per request.
  for (let i = 0; i < experimentIds.length; i += 100) {
    let pageToken: string | undefined;
    do {
      const page = await lb.stores.tracking.searchRuns({
        experimentIds: experimentIds.slice(i, i + 100),
        filter: "attributes.status = 'RUNNING'",
        maxResults: 1000,
        ...(pageToken === undefined ? {} : { pageToken }),
      });
      for (const run of page.items) found.push(run);
      pageToken = page.nextPageToken;
    } while (pageToken !== undefined);
  }
  return found;
}

/** RUNNING runs of `experimentIds` whose last write is `idleMs` or more before `now`, most idle first. */
export async function staleRuns(lb: Logbook, experimentIds: readonly string[], idleMs: number, now: number): Promise<StaleRun[]> {
  if (experimentIds.length === 0) return [];
  const running = await runningRuns(lb, experimentIds);
  const store = lb.stores.tracking;
  const updated = hasUpdateTimes(store) ? await store.getRunUpdateTimes(running.map((r) => r.info.runId)) : new Map<string, number>();
  const rows: StaleRun[] = [];
  for (const { info, data } of running) {
    let lastWriteTime = Math.max(info.startTime, updated.get(info.runId) ?? 0);
    for (const m of data.metrics) lastWriteTime = Math.max(lastWriteTime, m.timestamp);
    if (now - lastWriteTime < idleMs) continue;
    rows.push({ runId: info.runId, runName: info.runName, experimentId: info.experimentId, startTime: info.startTime, lastWriteTime, idleMs: now - lastWriteTime });
  }
  return rows.sort((a, b) => b.idleMs - a.idleMs);
}

function renderStale(rows: readonly StaleRun[]): string {
  if (rows.length === 0) return 'No stale runs.\n';
  return renderTable(
    ['RUN ID', 'NAME', 'EXPERIMENT', 'STARTED', 'LAST WRITE', 'IDLE'],
    rows.map((r) => [r.runId, r.runName, r.experimentId, formatTime(r.startTime), formatTime(r.lastWriteTime), formatDuration(r.lastWriteTime, r.lastWriteTime + r.idleMs)]),
  );
}
