import { ViewType } from '@logbook/core';
import { LIMITS } from '@logbook/core/spi';
import type { Experiment, Page } from '@logbook/core';
import type { SearchExperimentsQuery } from '@logbook/core/spi';
import type { StoreContext } from '../context.js';
import { pageWindow, toPage } from '../page-token.js';
import { toExperiments } from './experiment-rows.js';
import type { ExperimentRow } from './experiment-rows.js';
import { experimentFilterSql, experimentOrderSql } from '../search/experiment-sql.js';

/** Lifecycle stages a view type selects. */
export function stagesOf(viewType: ViewType | undefined): string[] {
  switch (viewType ?? ViewType.ACTIVE_ONLY) {
    case ViewType.ACTIVE_ONLY:
      return ['active'];
    case ViewType.DELETED_ONLY:
      return ['deleted'];
    default:
      return ['active', 'deleted'];
  }
}

/** `searchExperiments`: MLflow's filter, order (default creation_time DESC, id ASC), offset pages. */
export function searchExperiments(ctx: StoreContext, query: SearchExperimentsQuery = {}): Page<Experiment> {
  const window = pageWindow(query.maxResults, query.pageToken, LIMITS.defaultSearchExperimentsResults, LIMITS.maxSearchExperimentsResults);
  const filter = experimentFilterSql(query.filter);
  const order = experimentOrderSql(query.orderBy);
  const sql = `SELECT e.* FROM experiments e
    WHERE e.lifecycle_stage IN (SELECT value FROM json_each(?))${filter.sql ? ` AND ${filter.sql}` : ''}
    ORDER BY ${order} LIMIT ? OFFSET ?`;
  return ctx.conn.read(() => {
    const rows = ctx.conn.db.prepare(sql).all(JSON.stringify(stagesOf(query.viewType)), ...filter.params, window.limit + 1, window.offset) as ExperimentRow[];
    const page = toPage(rows, window);
    return { ...page, items: toExperiments(ctx, page.items) };
  });
}
