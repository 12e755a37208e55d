import { describe, expect, it } from 'vitest';
import { ViewType } from '@logbook/core';
import type { TrackingStore } from '@logbook/core/spi';
import { collectPages, expectCode, uniqueName } from '../support.js';

/** searchExperiments: filters, order_by, pagination and view types (MLflow `experiments/search`). */
export function searchExperimentsTests(store: () => TrackingStore): void {
  describe('.searchExperiments', () => {
    it('filters by exact name, name LIKE prefix and tag', async () => {
      const prefix = uniqueName('search');
      const a = await store().createExperiment({ name: `${prefix}/a`, tags: { kind: 'alpha' } });
      const b = await store().createExperiment({ name: `${prefix}/b`, tags: { kind: 'beta' } });
      const exact = await store().searchExperiments({ filter: `name = '${prefix}/a'`, maxResults: 100 });
      expect(exact.items.map((e) => e.experimentId)).toEqual([a]);
      const like = await store().searchExperiments({ filter: `name LIKE '${prefix}/%'`, maxResults: 100, orderBy: ['name ASC'] });
      expect(like.items.map((e) => e.experimentId)).toEqual([a, b]);
      const tagged = await store().searchExperiments({
        filter: `name LIKE '${prefix}/%' and tags.kind = 'beta'`,
        maxResults: 100,
      });
      expect(tagged.items.map((e) => e.experimentId)).toEqual([b]);
    });

    it('filters on a tag being absent or present', async () => {
      const prefix = uniqueName('tag-null');
      const tagged = await store().createExperiment({ name: `${prefix}-t`, tags: { reviewed: 'yes' } });
      const plain = await store().createExperiment({ name: `${prefix}-p` });
      const ids = async (clause: string) => (await store().searchExperiments({ filter: `name LIKE '${prefix}-%' and ${clause}`, maxResults: 10 })).items.map((e) => e.experimentId);
      expect(await ids('tags.reviewed IS NULL')).toEqual([plain]);
      expect(await ids('tags.reviewed IS NOT NULL')).toEqual([tagged]);
    });

    it('orders by name DESC and pages with tokens until the last page', async () => {
      const prefix = uniqueName('page');
      const ids: string[] = [];
      for (const suffix of ['a', 'b', 'c']) ids.push(await store().createExperiment({ name: `${prefix}-${suffix}` }));
      const first = await store().searchExperiments({ filter: `name LIKE '${prefix}-%'`, orderBy: ['name DESC'], maxResults: 2 });
      expect(first.items.map((e) => e.experimentId)).toEqual([ids[2], ids[1]]);
      expect(first.nextPageToken).toBeTruthy();
      const second = await store().searchExperiments({
        filter: `name LIKE '${prefix}-%'`,
        orderBy: ['name DESC'],
        maxResults: 2,
        pageToken: first.nextPageToken,
      });
      expect(second.items.map((e) => e.experimentId)).toEqual([ids[0]]);
      expect(second.nextPageToken ?? undefined).toBeUndefined();
    });

    it('lists newest experiments first by default', async () => {
      const prefix = uniqueName('default-order');
      const older = await store().createExperiment({ name: `${prefix}-1` });
      await new Promise((r) => setTimeout(r, 5));
      const newer = await store().createExperiment({ name: `${prefix}-2` });
      const page = await store().searchExperiments({ filter: `name LIKE '${prefix}-%'`, maxResults: 10 });
      expect(page.items.map((e) => e.experimentId)).toEqual([newer, older]);
    });

    it('honours the view type: active only by default, deleted only, all', async () => {
      const prefix = uniqueName('view');
      const live = await store().createExperiment({ name: `${prefix}-live` });
      const gone = await store().createExperiment({ name: `${prefix}-gone` });
      await store().deleteExperiment(gone);
      const filter = `name LIKE '${prefix}-%'`;
      const ids = async (viewType?: ViewType) =>
        (await collectPages((pageToken) => store().searchExperiments({ filter, viewType, pageToken, maxResults: 100 }))).items.map((e) => e.experimentId).sort();
      expect(await ids()).toEqual([live]);
      expect(await ids(ViewType.ACTIVE_ONLY)).toEqual([live]);
      expect(await ids(ViewType.DELETED_ONLY)).toEqual([gone]);
      expect(await ids(ViewType.ALL)).toEqual([live, gone].sort());
    });

    it('rejects a malformed filter, order_by or page token with INVALID_PARAMETER_VALUE', async () => {
      await expectCode(store().searchExperiments({ filter: `name = 'a' OR name = 'b'`, maxResults: 10 }), 'INVALID_PARAMETER_VALUE');
      await expectCode(store().searchExperiments({ filter: `metrics.x > 1`, maxResults: 10 }), 'INVALID_PARAMETER_VALUE');
      await expectCode(store().searchExperiments({ orderBy: ['name SIDEWAYS'], maxResults: 10 }), 'INVALID_PARAMETER_VALUE');
      await expectCode(store().searchExperiments({ pageToken: 'not a token!', maxResults: 10 }), 'INVALID_PARAMETER_VALUE');
      await expectCode(store().searchExperiments({ maxResults: 50_001 }), 'INVALID_PARAMETER_VALUE');
    });
  });
}
