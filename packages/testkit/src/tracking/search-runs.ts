import { describe, expect, it } from 'vitest';
import { RunStatus, ViewType } from '@logbook/core';
import type { Run, SearchRunsQuery } from '@logbook/core';
import type { TrackingStore } from '@logbook/core/spi';
import { collectPages, expectCode, uniqueName } from '../support.js';

const T0 = 1_700_000_000_000;

interface Seeded {
  readonly experimentId: string;
  /** Runs by name: a (loss 0.1), b (loss 0.2), c (loss 0.3), d (no metric, FINISHED). */
  readonly ids: Readonly<Record<'a' | 'b' | 'c' | 'd', string>>;
}

/** searchRuns: MLflow's filter subset, order_by, pagination and view types (`runs/search`). */
export function searchRunsTests(store: () => TrackingStore): void {
  // Four runs with distinct start times (a oldest), metrics, params and tags.
  const seed = async (): Promise<Seeded> => {
    const experimentId = await store().createExperiment({ name: uniqueName('search-runs') });
    const make = async (name: string, offset: number) => (await store().createRun({ experimentId, runName: name, startTime: T0 + offset, userId: `user-${name}` })).info.runId;
    const ids = { a: await make('a', 0), b: await make('b', 1000), c: await make('c', 2000), d: await make('d', 3000) };
    const loss = { a: 0.1, b: 0.2, c: 0.3 } as const;
    for (const name of ['a', 'b', 'c'] as const) {
      await store().logBatch(ids[name], {
        metrics: [{ key: 'loss', value: loss[name], timestamp: T0, step: 1 }],
        params: [{ key: 'lr', value: name === 'a' ? '0.01' : '0.1' }],
        tags: [{ key: 'k-1', value: name === 'c' ? 'Special' : 'plain' }],
      });
    }
    await store().updateRun(ids.d, { status: RunStatus.FINISHED, endTime: T0 + 5000 });
    return { experimentId, ids };
  };
  const names = (runs: readonly Run[]) => runs.map((r) => r.info.runName);
  const search = async (s: Seeded, query: Omit<SearchRunsQuery, 'experimentIds'>) => names((await store().searchRuns({ experimentIds: [s.experimentId], maxResults: 100, ...query })).items);

  describe('.searchRuns', () => {
    it('orders by start time, newest first, by default', async () => {
      const s = await seed();
      expect(await search(s, {})).toEqual(['d', 'c', 'b', 'a']);
    });

    it('filters on the latest metric value with numeric comparators', async () => {
      const s = await seed();
      expect(await search(s, { filter: 'metrics.loss < 0.25' })).toEqual(['b', 'a']);
      expect(await search(s, { filter: 'metrics.loss >= 0.2' })).toEqual(['c', 'b']);
      expect(await search(s, { filter: 'metrics.loss = 0.3' })).toEqual(['c']);
      // A run without the metric never matches, not even '!='.
      expect(await search(s, { filter: 'metrics.loss != 0.3' })).toEqual(['b', 'a']);
    });

    it('filters on params and tags, with quoted keys, LIKE and ILIKE', async () => {
      const s = await seed();
      expect(await search(s, { filter: "params.lr = '0.1'" })).toEqual(['c', 'b']);
      expect(await search(s, { filter: "params.lr != '0.1'" })).toEqual(['a']);
      expect(await search(s, { filter: `tags."k-1" = 'plain'` })).toEqual(['b', 'a']);
      // As on MLflow's server: a run without the tag (d) matches no comparison, not even '!='.
      expect(await search(s, { filter: `tags."k-1" != 'plain'` })).toEqual(['c']);
      expect(await search(s, { filter: `tags.mlflow.runName = 'c'` })).toEqual(['c']);
      expect(await search(s, { filter: "tags.`k-1` LIKE 'Spec%'" })).toEqual(['c']);
      // LIKE is case-sensitive (checked on MLflow 3.17.2 with PostgreSQL); ILIKE is not.
      expect(await search(s, { filter: `tags."k-1" LIKE 'spec%'` })).toEqual([]);
      expect(await search(s, { filter: `tags."k-1" ILIKE 'spec%'` })).toEqual(['c']);
    });

    it('filters on params and tags being absent or present', async () => {
      const s = await seed();
      expect(await search(s, { filter: 'params.lr IS NULL' })).toEqual(['d']);
      expect(await search(s, { filter: 'tags."k-1" IS NOT NULL' })).toEqual(['c', 'b', 'a']);
    });

    it('filters on attributes: status, run name (and its aliases), user, times, run id lists', async () => {
      const s = await seed();
      expect(await search(s, { filter: "attributes.status = 'FINISHED'" })).toEqual(['d']);
      expect(await search(s, { filter: "attributes.run_name = 'b'" })).toEqual(['b']);
      expect(await search(s, { filter: "attributes.`run name` = 'b'" })).toEqual(['b']);
      expect(await search(s, { filter: "run_name LIKE '%'" })).toEqual(['d', 'c', 'b', 'a']);
      expect(await search(s, { filter: "attributes.user_id = 'user-c'" })).toEqual(['c']);
      expect(await search(s, { filter: `attributes.start_time >= ${T0 + 2000}` })).toEqual(['d', 'c']);
      expect(await search(s, { filter: `attributes.created < ${T0 + 1000}` })).toEqual(['a']);
      expect(await search(s, { filter: `attributes.end_time > ${T0}` })).toEqual(['d']);
      expect(await search(s, { filter: `attributes.run_id IN ('${s.ids.a}', '${s.ids.c}')` })).toEqual(['c', 'a']);
      expect(await search(s, { filter: `attributes.run_id NOT IN ('${s.ids.a}', '${s.ids.c}')` })).toEqual(['d', 'b']);
      expect(await search(s, { filter: `attributes.run_id = '${s.ids.b}'` })).toEqual(['b']);
    });

    it('combines clauses with AND (any case)', async () => {
      const s = await seed();
      expect(await search(s, { filter: `metrics.loss > 0.05 and params.lr = '0.1' AND tags."k-1" = 'plain'` })).toEqual(['b']);
    });

    it('rejects OR, unknown entities, bad comparators and unquoted strings with INVALID_PARAMETER_VALUE', async () => {
      const s = await seed();
      for (const filter of [
        "params.lr = '0.1' OR params.lr = '0.01'",
        'metrics.loss LIKE 0.1',
        "metrics.loss > '0.1'",
        'params.lr = 0.1',
        "bogus.x = 'y'",
        "attributes.nope = 'y'",
        'metrics.loss IS NULL',
        "attributes.status IN ('FINISHED')",
      ]) {
        await expectCode(store().searchRuns({ experimentIds: [s.experimentId], filter, maxResults: 10 }), 'INVALID_PARAMETER_VALUE');
      }
    });

    it('orders by a metric, ascending or descending, runs without it last', async () => {
      const s = await seed();
      expect(await search(s, { orderBy: ['metrics.loss ASC'] })).toEqual(['a', 'b', 'c', 'd']);
      expect(await search(s, { orderBy: ['metrics.loss DESC'] })).toEqual(['c', 'b', 'a', 'd']);
    });

    it('orders by attributes and params, ties broken by start time DESC', async () => {
      const s = await seed();
      expect(await search(s, { orderBy: ['attributes.start_time ASC'] })).toEqual(['a', 'b', 'c', 'd']);
      expect(await search(s, { orderBy: ['run_name DESC'] })).toEqual(['d', 'c', 'b', 'a']);
      expect(await search(s, { orderBy: ['params.lr ASC'] })).toEqual(['a', 'c', 'b', 'd']);
    });

    it('rejects a malformed order_by with INVALID_PARAMETER_VALUE', async () => {
      const s = await seed();
      for (const orderBy of [['metrics.loss UP'], ['attributes.nope'], ['metrics.loss ASC DESC']]) {
        await expectCode(store().searchRuns({ experimentIds: [s.experimentId], orderBy, maxResults: 10 }), 'INVALID_PARAMETER_VALUE');
      }
    });

    it('pages with tokens: every run once, in order, then no token', async () => {
      const s = await seed();
      const sizes: number[] = [];
      const { items } = await collectPages(async (pageToken) => {
        const page = await store().searchRuns({ experimentIds: [s.experimentId], maxResults: 3, pageToken, orderBy: ['metrics.loss ASC'] });
        sizes.push(page.items.length);
        return page;
      });
      expect(names(items)).toEqual(['a', 'b', 'c', 'd']);
      expect(sizes).toEqual([3, 1]);
    });

    it('rejects a malformed page token and a page size over 50,000 with INVALID_PARAMETER_VALUE', async () => {
      const s = await seed();
      await expectCode(store().searchRuns({ experimentIds: [s.experimentId], pageToken: '%%%', maxResults: 10 }), 'INVALID_PARAMETER_VALUE');
      await expectCode(store().searchRuns({ experimentIds: [s.experimentId], maxResults: 50_001 }), 'INVALID_PARAMETER_VALUE');
    });

    it('honours the view type: active only by default, deleted only, all', async () => {
      const s = await seed();
      await store().deleteRun(s.ids.b);
      expect(await search(s, {})).toEqual(['d', 'c', 'a']);
      expect(await search(s, { viewType: ViewType.DELETED_ONLY })).toEqual(['b']);
      expect(await search(s, { viewType: ViewType.ALL })).toEqual(['d', 'c', 'b', 'a']);
    });

    it('searches several experiments at once', async () => {
      const s1 = await seed();
      const s2 = await seed();
      const page = await store().searchRuns({ experimentIds: [s1.experimentId, s2.experimentId], filter: "attributes.run_name = 'a'", maxResults: 10 });
      expect(page.items.map((r) => r.info.runId).sort()).toEqual([s1.ids.a, s2.ids.a].sort());
    });

    it('returns each run with its latest metrics, params and tags', async () => {
      const s = await seed();
      const [run] = (await store().searchRuns({ experimentIds: [s.experimentId], filter: "attributes.run_name = 'c'", maxResults: 10 })).items;
      expect(run?.data.params).toEqual({ lr: '0.1' });
      expect(run?.data.tags).toMatchObject({ 'k-1': 'Special', 'mlflow.runName': 'c' });
      expect(run?.data.metrics).toHaveLength(1);
      expect(run?.data.metrics[0]).toMatchObject({ key: 'loss', value: 0.3, timestamp: T0, step: 1 });
    });
  });
}
