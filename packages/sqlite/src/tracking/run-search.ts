import { LIMITS } from '@logbook/core/spi';
import type { Page, Run, SearchRunsQuery } from '@logbook/core';
import type { StoreContext } from '../context.js';
import { pageWindow, toPage } from '../page-token.js';
import { stagesOf } from './experiment-search.js';
import { parseExperimentId } from './experiment-rows.js';
import { toRuns } from './run-rows.js';
import type { RunRow } from './run-rows.js';
import { runFilterSql, runOrderSql } from '../search/run-sql.js';

/**
 * `searchRuns`: runs of the given experiments in the view type, filtered and ordered as MLflow
 * (default start_time DESC, run_id ASC), with offset page tokens.
 */
export function searchRuns(ctx: StoreContext, query: SearchRunsQuery): Page<Run> {
  const window = pageWindow(query.maxResults, query.pageToken, LIMITS.defaultSearchRunsResults, LIMITS.maxSearchRunsResults);
  const experimentIds = query.experimentIds.map((id, i) => parseExperimentId(id, `experimentIds[${i}]`));
  const filter = runFilterSql(query.filter);
  const order = runOrderSql(query.orderBy);
  const sql = `SELECT r.* FROM runs r ${order.joins.sql}
    WHERE r.experiment_id IN (SELECT value FROM json_each(?))
      AND r.lifecycle_stage IN (SELECT value FROM json_each(?))${filter.sql ? ` AND ${filter.sql}` : ''}
    ORDER BY ${order.order} LIMIT ? OFFSET ?`;
  return ctx.conn.read(() => {
    const rows = ctx.conn.db
      .prepare(sql)
      .all(...order.joins.params, JSON.stringify(experimentIds), JSON.stringify(stagesOf(query.viewType)), ...filter.params, window.limit + 1, window.offset) as RunRow[];
    const page = toPage(rows, window);
    return { ...page, items: toRuns(ctx, page.items) };
  });
}
