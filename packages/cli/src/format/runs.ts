import type { Run } from '@logbook/core';
import { renderTable } from './table.js';
import { formatDuration, formatTime } from './values.js';

/** The parent run's id of a nested run (`mlflow.parentRunId`). */
export function parentOf(run: Run): string | undefined {
  return run.data.tags['mlflow.parentRunId'];
}

/** One table row per run: id, name, status, start, duration, parent. */
export function renderRuns(runs: readonly Run[]): string {
  if (runs.length === 0) return 'No runs.\n';
  return renderTable(
    ['RUN ID', 'NAME', 'STATUS', 'STARTED', 'DURATION', 'PARENT'],
    runs.map((run) => [run.info.runId, run.info.runName, run.info.status, formatTime(run.info.startTime), formatDuration(run.info.startTime, run.info.endTime), parentOf(run) ?? '-']),
  );
}
