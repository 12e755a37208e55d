import type { LogBatch, Metric } from '../model/run.js';

/** One buffered write to a run: a metric point, a param or a tag. */
export type Entry =
  | { readonly kind: 'metric'; readonly metric: Metric }
  | { readonly kind: 'param'; readonly key: string; readonly value: string }
  | { readonly kind: 'tag'; readonly key: string; readonly value: string };

/** The log-batch request that writes `entries` (order kept within each kind). */
export function toBatch(entries: readonly Entry[]): LogBatch {
  const metrics: Metric[] = [];
  const params: { key: string; value: string }[] = [];
  const tags: { key: string; value: string }[] = [];
  for (const e of entries) {
    if (e.kind === 'metric') metrics.push(e.metric);
    else (e.kind === 'param' ? params : tags).push({ key: e.key, value: e.value });
  }
  return { metrics, params, tags };
}

/** Which entry of `entries` a batch field such as `params[3].value` points at, if any. */
export function entryForField(entries: readonly Entry[], field: string | undefined): number | undefined {
  const m = field === undefined ? null : /^(metrics|params|tags)\[(\d+)\]/.exec(field);
  if (m === null) return undefined;
  const kind = m[1] === 'metrics' ? 'metric' : m[1] === 'params' ? 'param' : 'tag';
  let seen = -1;
  for (let i = 0; i < entries.length; i++) {
    if (entries[i]!.kind === kind && ++seen === Number(m[2])) return i;
  }
  return undefined;
}

/** How an entry is named in error messages: `metric 'loss' (step 3)`, `param 'lr'`. */
export function describeEntry(entry: Entry): string {
  if (entry.kind === 'metric') return `metric '${entry.metric.key}' (step ${entry.metric.step})`;
  return `${entry.kind} '${entry.key}'`;
}

/** The config-style field of an entry, for `LogbookError.field`: `metrics.loss`, `params.lr`. */
export function entryField(entry: Entry): string {
  return entry.kind === 'metric' ? `metrics.${entry.metric.key}` : `${entry.kind}s.${entry.key}`;
}
