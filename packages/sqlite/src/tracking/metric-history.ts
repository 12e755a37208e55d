import { validateKey, validateRunId } from '@logbook/core/spi';
import type { Metric, Page, PageRequest } from '@logbook/core';
import type { StoreContext } from '../context.js';
import { decodePageToken } from '@logbook/core/spi';
import { toPage } from '../page-token.js';
import { invalidParam } from '../errors.js';
import { getRunRow, toMetric } from './run-rows.js';
import type { MetricRow } from './run-rows.js';

/**
 * `getMetricHistory`: every point of one metric ordered by timestamp, step, value (the primary
 * key's order, so no sort). Without `maxResults` the whole history is one page, as MLflow's
 * store does with `max_results=None`.
 */
export function getMetricHistory(ctx: StoreContext, runId: string, key: string, page: PageRequest = {}): Page<Metric> {
  validateRunId(runId);
  validateKey('metric', key, 'key');
  const { maxResults } = page;
  if (maxResults !== undefined && (!Number.isSafeInteger(maxResults) || maxResults < 1)) {
    invalidParam(`maxResults must be a positive integer, got ${String(maxResults)}.`, 'maxResults');
  }
  const offset = decodePageToken(page.pageToken);
  return ctx.conn.read(() => {
    const run = getRunRow(ctx, runId);
    const rows = ctx.conn
      .stmt(`SELECT key, value, timestamp, step, is_nan FROM metrics WHERE run_id = ? AND key = ?
             ORDER BY timestamp, step, value, is_nan LIMIT ? OFFSET ?`)
      .all(run.id, key, maxResults === undefined ? -1 : maxResults + 1, offset) as MetricRow[];
    const metrics = rows.map(toMetric);
    return maxResults === undefined ? { items: metrics } : toPage(metrics, { limit: maxResults, offset });
  });
}
