import type { Run, RunInfo } from '../model/run.js';

/** Params and metrics of several runs side by side, with the keys whose values differ marked. */
export interface RunComparison {
  readonly runs: readonly RunInfo[];
  /** One row per param key of any run, sorted by key; `values[i]` belongs to `runs[i]`. */
  readonly params: readonly { readonly key: string; readonly values: readonly (string | undefined)[]; readonly differs: boolean }[];
  /** One row per metric key (latest values), sorted by key. NaN equals NaN here. */
  readonly metrics: readonly { readonly key: string; readonly values: readonly (number | undefined)[]; readonly differs: boolean }[];
}

/** Builds the comparison of `runs`, in the given order. */
export function compareRunData(runs: readonly Run[]): RunComparison {
  const paramKeys = new Set<string>();
  const metricKeys = new Set<string>();
  for (const run of runs) {
    for (const key of Object.keys(run.data.params)) paramKeys.add(key);
    for (const m of run.data.metrics) metricKeys.add(m.key);
  }
  const params = [...paramKeys].sort().map((key) => {
    const values = runs.map((r) => r.data.params[key]);
    return { key, values, differs: new Set(values).size > 1 };
  });
  const metrics = [...metricKeys].sort().map((key) => {
    const values = runs.map((r) => r.data.metrics.find((m) => m.key === key)?.value);
    return { key, values, differs: new Set(values).size > 1 };
  });
  return { runs: runs.map((r) => r.info), params, metrics };
}
