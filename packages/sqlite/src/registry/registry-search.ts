import { LIMITS } from '@logbook/core/spi';
import type { ModelVersion, Page, RegisteredModel, RegistrySearchQuery } from '@logbook/core';
import type { StoreContext } from '../context.js';
import { pageWindow, toPage } from '../page-token.js';
import { modelFilterSql, modelOrderSql, versionFilterSql, versionOrderSql } from '../search/registry-sql.js';
import { LIVE_VERSIONS, toModelVersions, toRegisteredModels } from './registry-rows.js';
import type { ModelRow, VersionRow } from './registry-rows.js';

/** `searchRegisteredModels`: default 100 per page, at most 1000 (MLflow's limits). */
export function searchRegisteredModels(ctx: StoreContext, query: RegistrySearchQuery = {}): Page<RegisteredModel> {
  const window = pageWindow(query.maxResults, query.pageToken, LIMITS.defaultSearchRegisteredModelsResults, LIMITS.maxSearchRegisteredModelsResults);
  const filter = modelFilterSql(query.filter);
  const sql = `SELECT m.* FROM registered_models m ${filter.sql ? `WHERE ${filter.sql}` : ''}
    ORDER BY ${modelOrderSql(query.orderBy)} LIMIT ? OFFSET ?`;
  return ctx.conn.read(() => {
    const page = toPage(ctx.conn.db.prepare(sql).all(...filter.params, window.limit + 1, window.offset) as ModelRow[], window);
    return { ...page, items: toRegisteredModels(ctx, page.items) };
  });
}

/** `searchModelVersions`: live versions only; default 10,000 per page, at most 200,000. */
export function searchModelVersions(ctx: StoreContext, query: RegistrySearchQuery = {}): Page<ModelVersion> {
  const window = pageWindow(query.maxResults, query.pageToken, LIMITS.defaultSearchModelVersionsResults, LIMITS.maxSearchModelVersionsResults);
  const filter = versionFilterSql(query.filter);
  const sql = `${LIVE_VERSIONS}${filter.sql ? ` AND ${filter.sql}` : ''} ORDER BY ${versionOrderSql(query.orderBy)} LIMIT ? OFFSET ?`;
  return ctx.conn.read(() => {
    const page = toPage(ctx.conn.db.prepare(sql).all(...filter.params, window.limit + 1, window.offset) as VersionRow[], window);
    return { ...page, items: toModelVersions(ctx, page.items) };
  });
}
