import { LogbookError } from '@logbook/core';
import { validateExperimentName, validateRunId } from '@logbook/core/spi';
import { principalOf } from '../auth/authenticate.js';
import { hasRole, mayHaveGrant, requireRole } from '../auth/authorize.js';
import { badField } from '../errors.js';
import { queryList, queryString, queryValues } from '../http/query.js';
import { collectReport } from '../report/collect-report.js';
import { renderReportHtml, reportContentSecurityPolicy } from '../report/render-html.js';
import type { ReportSelection } from '../report/types.js';
import type { RouteSpec } from './route.js';

/** Most experiments or runs one page may name. */
const MAX_SELECTED = 100;
/** Most runs one page shows: the page stays a few MB (see docs/report.md). */
const MAX_RUNS = 200;

function selectionOf(query: { experiments: string[]; runs: string[]; filter: string | undefined }): ReportSelection {
  if (query.experiments.length > MAX_SELECTED) badField('experiment', `must be given at most ${MAX_SELECTED} times`);
  if (query.runs.length > MAX_SELECTED) badField('run', `must be given at most ${MAX_SELECTED} times`);
  query.experiments.forEach((name) => validateExperimentName(name, 'experiment'));
  query.runs.forEach((id) => validateRunId(id, 'run'));
  return {
    experiments: query.experiments,
    runIds: query.runs,
    ...(query.filter === undefined || query.filter === '' ? {} : { filter: query.filter }),
  };
}

/**
 * `GET /ui`: the report page (charts, comparison, parallel coordinates, run tree, models) of the
 * chosen runs, built on request from the router's stores. Read-only; the reader role is needed on
 * every experiment and model it shows. Its CSP allows no request at all (everything is inline) and
 * no script but the page's own.
 */
export const uiRoutes: RouteSpec[] = [
  {
    method: 'get',
    path: '/ui',
    operationId: 'reportPage',
    tag: 'ui',
    access: 'scoped',
    summary: `The report page of the chosen runs as one self-contained HTML document (no external asset): metric charts, comparison table, parallel coordinates, run tree, registered models with deployments and live curves. Without a selection: every run of every experiment (at most ${MAX_RUNS}). Needs the reader role on each experiment and model shown.`,
    parameters: [
      { name: 'experiment', in: 'query', description: `Experiment name, whole (commas are part of it); repeatable (at most ${MAX_SELECTED}).`, schema: { type: 'string', maxLength: 500 } },
      { name: 'run', in: 'query', description: `Run id, shown whatever the filter says; repeatable or comma-separated (at most ${MAX_SELECTED}).`, schema: { type: 'string', maxLength: 256 } },
      { name: 'filter', in: 'query', description: "MLflow search filter over the experiments' runs, e.g. `metrics.loss < 1`.", schema: { type: 'string', maxLength: 4096 } },
    ],
    responses: { 200: { description: 'The page.', contentType: 'text/html' } },
    async handler(ctx, deps) {
      const principal = principalOf(ctx)!;
      // No global reader role and no grant that could apply: refused before any lookup.
      if (!hasRole(principal, 'reader') && !mayHaveGrant(principal, 'reader', 'experimentId')) {
        throw new LogbookError('PERMISSION_DENIED', '[koa] Permission denied: the report page needs the reader role.');
      }
      const selection = selectionOf({ experiments: queryValues(ctx, 'experiment'), runs: queryList(ctx, 'run'), filter: queryString(ctx, 'filter', 4096) });
      const data = await collectReport(deps.tracking, selection, { registry: deps.registry, maxRuns: MAX_RUNS });
      for (const experimentId of new Set(data.runs.map((r) => r.experimentId))) requireRole(ctx, 'reader', { experimentId });
      for (const model of data.models) {
        if (!hasRole(principal, 'reader', { model: model.name })) {
          throw new LogbookError('PERMISSION_DENIED', `[koa] Permission denied: the report shows model '${model.name}', which needs the reader role.`);
        }
      }
      ctx.set('Content-Security-Policy', await reportContentSecurityPolicy());
      ctx.set('X-Content-Type-Options', 'nosniff');
      ctx.set('Referrer-Policy', 'no-referrer');
      ctx.set('Cache-Control', 'no-store');
      ctx.type = 'text/html; charset=utf-8';
      ctx.body = await renderReportHtml(data, 'Logbook');
    },
  },
];
