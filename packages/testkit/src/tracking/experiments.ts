import { describe, expect, it } from 'vitest';
import { LifecycleStage, ViewType } from '@logbook/core';
import type { TrackingStore } from '@logbook/core';
import { collectPages, expectCode, uniqueName } from '../support.js';

/** Experiment lifecycle, tags and search (MLflow `experiments/*`). */
export function experimentTests(store: () => TrackingStore): void {
  describe('experiments', () => {
    it('creates an experiment and reads it back by id and by name', async () => {
      const name = uniqueName('exp');
      const id = await store().createExperiment({ name, tags: { team: 'survey' } });
      expect(id).toMatch(/^[0-9]+$/);
      const byId = await store().getExperiment(id);
      expect(byId).toMatchObject({ experimentId: id, name, lifecycleStage: LifecycleStage.ACTIVE });
      expect(byId.tags).toMatchObject({ team: 'survey' });
      expect(byId.artifactLocation.length).toBeGreaterThan(0);
      expect(byId.creationTime).toBeGreaterThan(0);
      expect(byId.lastUpdateTime).toBeGreaterThanOrEqual(byId.creationTime);
      const byName = await store().getExperimentByName(name);
      expect(byName?.experimentId).toBe(id);
    });

    it('answers undefined for a name no experiment has', async () => {
      expect(await store().getExperimentByName(uniqueName('absent'))).toBeUndefined();
    });

    it('rejects an unknown experiment id with RESOURCE_DOES_NOT_EXIST', async () => {
      await expectCode(store().getExperiment('987654321098'), 'RESOURCE_DOES_NOT_EXIST');
    });

    it('rejects a duplicate name with RESOURCE_ALREADY_EXISTS, deleted experiments included', async () => {
      const name = uniqueName('dup');
      const id = await store().createExperiment({ name });
      await expectCode(store().createExperiment({ name }), 'RESOURCE_ALREADY_EXISTS');
      await store().deleteExperiment(id);
      await expectCode(store().createExperiment({ name }), 'RESOURCE_ALREADY_EXISTS');
    });

    it('renames an experiment: the new name resolves, the old one no longer does', async () => {
      const oldName = uniqueName('old');
      const newName = uniqueName('new');
      const id = await store().createExperiment({ name: oldName });
      await store().renameExperiment(id, newName);
      expect((await store().getExperiment(id)).name).toBe(newName);
      expect((await store().getExperimentByName(newName))?.experimentId).toBe(id);
      expect(await store().getExperimentByName(oldName)).toBeUndefined();
    });

    it('refuses to rename a deleted experiment with INVALID_STATE', async () => {
      const id = await store().createExperiment({ name: uniqueName('del-rename') });
      await store().deleteExperiment(id);
      await expectCode(store().renameExperiment(id, uniqueName('other')), 'INVALID_STATE');
    });

    it('soft-deletes an experiment with its runs and restores both', async () => {
      const id = await store().createExperiment({ name: uniqueName('lifecycle') });
      const run = await store().createRun({ experimentId: id, startTime: Date.now() });
      await store().deleteExperiment(id);
      expect((await store().getExperiment(id)).lifecycleStage).toBe(LifecycleStage.DELETED);
      expect((await store().getRun(run.info.runId)).info.lifecycleStage).toBe(LifecycleStage.DELETED);
      await store().restoreExperiment(id);
      expect((await store().getExperiment(id)).lifecycleStage).toBe(LifecycleStage.ACTIVE);
      expect((await store().getRun(run.info.runId)).info.lifecycleStage).toBe(LifecycleStage.ACTIVE);
    });

    it('refuses new runs in a deleted experiment with INVALID_PARAMETER_VALUE', async () => {
      const id = await store().createExperiment({ name: uniqueName('no-runs') });
      await store().deleteExperiment(id);
      await expectCode(store().createRun({ experimentId: id, startTime: Date.now() }), 'INVALID_PARAMETER_VALUE');
    });

    it('upserts experiment tags and deletes them', async () => {
      const id = await store().createExperiment({ name: uniqueName('tags') });
      await store().setExperimentTag(id, 'stage', 'draft');
      await store().setExperimentTag(id, 'stage', 'final');
      await store().setExperimentTag(id, 'owner', 'ana');
      expect((await store().getExperiment(id)).tags).toMatchObject({ stage: 'final', owner: 'ana' });
      await store().deleteExperimentTag(id, 'stage');
      const tags = (await store().getExperiment(id)).tags;
      expect(tags['stage']).toBeUndefined();
      expect(tags['owner']).toBe('ana');
    });

    it('answers RESOURCE_DOES_NOT_EXIST when deleting an experiment tag that is not set', async () => {
      const id = await store().createExperiment({ name: uniqueName('no-tag') });
      await expectCode(store().deleteExperimentTag(id, 'never-set'), 'RESOURCE_DOES_NOT_EXIST');
    });

    it('rejects experiment tag values over 20,000 characters (never truncated)', async () => {
      // MLflow 3.17.2: MAX_EXPERIMENT_TAG_VAL_LENGTH = 20000 (older servers: 5000); checked live.
      const id = await store().createExperiment({ name: uniqueName('long-tag') });
      await store().setExperimentTag(id, 'ok', 'x'.repeat(20_000));
      expect((await store().getExperiment(id)).tags['ok']).toHaveLength(20_000);
      await expectCode(store().setExperimentTag(id, 'long', 'x'.repeat(20_001)), 'INVALID_PARAMETER_VALUE');
    });

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
        const ids = async (clause: string) =>
          (await store().searchExperiments({ filter: `name LIKE '${prefix}-%' and ${clause}`, maxResults: 10 })).items.map((e) => e.experimentId);
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
          (await collectPages((pageToken) => store().searchExperiments({ filter, viewType, pageToken, maxResults: 100 })))
            .items.map((e) => e.experimentId).sort();
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
  });
}
