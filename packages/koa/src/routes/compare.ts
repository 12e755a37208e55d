import type { Context } from 'koa';
import type { Run } from '@logbook/core';
import { badField } from '../errors.js';
import { queryList } from '../http/query.js';
import { runWithRole } from './access.js';
import { metricValue, runInfoJson } from './serialize.js';
import type { RouteDeps } from './route.js';

const MAX_COMPARED = 100;

function rows<T>(runs: readonly Run[], pick: (run: Run) => ReadonlyMap<string, T>, show: (value: T) => unknown) {
  const maps = runs.map(pick);
  const keys = [...new Set(maps.flatMap((m) => [...m.keys()]))].sort();
  return keys.map((key) => {
    const values = maps.map((m) => m.get(key));
    const differs = new Set(values.map((v) => (v === undefined ? '\u0000absent' : String(v)))).size > 1;
    return { key, values: values.map((v) => (v === undefined ? null : show(v))), differs };
  });
}

/**
 * Side-by-side comparison of runs: each param and each metric's latest value per run (`null`
 * where a run lacks it) and whether they differ. The caller needs the reader role on every run.
 */
export async function compareRuns(ctx: Context, deps: RouteDeps) {
  const ids = [...new Set(queryList(ctx, 'run_ids'))];
  if (ids.length === 0) badField('run_ids', 'is required: give 1 to 100 run ids');
  if (ids.length > MAX_COMPARED) badField('run_ids', `must name at most ${MAX_COMPARED} runs, got ${ids.length}`);
  const runs: Run[] = [];
  for (const id of ids) runs.push(await runWithRole(ctx, deps, 'reader', id));
  return {
    runs: runs.map((r) => runInfoJson(r.info)),
    params: rows(
      runs,
      (r) => new Map(Object.entries(r.data.params)),
      (v) => v,
    ),
    metrics: rows(runs, (r) => new Map(r.data.metrics.map((m) => [m.key, m.value])), metricValue),
  };
}
