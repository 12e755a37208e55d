import type { Page, PageRequest } from '../model/common.js';
import type { Metric } from '../model/run.js';
import { decodePageToken, paginate } from '../search/page-token.js';
import { clampMetricValue } from '../validation/values.js';
import { invalidParam } from './memory-errors.js';
import type { StoredRun } from './memory-state.js';

/** The value MLflow's SQL stores order by: NaN counts as 0 (stored with is_nan), ±Infinity clamped. */
function sortValue(value: number): number {
  return Number.isNaN(value) ? 0 : value;
}

/** MLflow's "more recent" order of latest metrics: (step, timestamp, value), NaN counting as 0. */
function isNewer(a: Metric, b: Metric): boolean {
  if (a.step !== b.step) return a.step > b.step;
  if (a.timestamp !== b.timestamp) return a.timestamp > b.timestamp;
  return sortValue(a.value) > sortValue(b.value);
}

/** History order: timestamp, step, value, NaN after the 0 it is stored as. */
function historyOrder(a: Metric, b: Metric): number {
  return a.timestamp - b.timestamp || a.step - b.step || sortValue(a.value) - sortValue(b.value) || Number(Number.isNaN(a.value)) - Number(Number.isNaN(b.value));
}

/**
 * Appends validated points to a run: ±Infinity clamped as MLflow stores it, exact duplicates
 * (key, value, timestamp, step) ignored, each key's latest point moved forward.
 */
export function appendMetrics(run: StoredRun, metrics: readonly Metric[]): void {
  for (const m of metrics) {
    const value = Number.isNaN(m.value) ? Number.NaN : clampMetricValue(m.value);
    const id = `${m.key}\u0000${m.timestamp}\u0000${m.step}\u0000${Number.isNaN(value) ? 'NaN' : value}`;
    if (run.pointIds.has(id)) continue;
    run.pointIds.add(id);
    const point: Metric = { key: m.key, value, timestamp: m.timestamp, step: m.step };
    run.history.push(point);
    const best = run.latest.get(m.key);
    if (best === undefined || isNewer(point, best)) run.latest.set(m.key, point);
  }
}

/**
 * Every point of one metric ordered by timestamp, step, value. Without `maxResults` the whole
 * history is one page, as MLflow's store does with `max_results=None`.
 */
export function metricHistory(run: StoredRun, key: string, page: PageRequest = {}): Page<Metric> {
  const { maxResults } = page;
  if (maxResults !== undefined && (!Number.isSafeInteger(maxResults) || maxResults < 1)) {
    invalidParam(`maxResults must be a positive integer, got ${String(maxResults)}.`, 'maxResults');
  }
  const points = run.history.filter((m) => m.key === key).sort(historyOrder);
  if (maxResults === undefined) return { items: points.slice(decodePageToken(page.pageToken)) };
  return paginate(points, { ...page, maxResults });
}
