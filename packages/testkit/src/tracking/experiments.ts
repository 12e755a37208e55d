import { describe, expect, it } from 'vitest';
import { LifecycleStage } from '@logbook/core';
import type { TrackingStore } from '@logbook/core/spi';
import { expectCode, uniqueName } from '../support.js';

/** Experiment lifecycle and tags (MLflow `experiments/*`). */
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

    it('rejects an unknown experiment id with RESOURCE_DOES_NOT_EXIST, for reads and writes', async () => {
      const unknown = '987654321098';
      await expectCode(store().getExperiment(unknown), 'RESOURCE_DOES_NOT_EXIST');
      await expectCode(store().renameExperiment(unknown, uniqueName('x')), 'RESOURCE_DOES_NOT_EXIST');
      await expectCode(store().deleteExperiment(unknown), 'RESOURCE_DOES_NOT_EXIST');
      await expectCode(store().setExperimentTag(unknown, 'k', 'v'), 'RESOURCE_DOES_NOT_EXIST');
    });

    it('keeps a given artifact location and puts each run under <location>/<run id>/artifacts', async () => {
      const location = `s3://lbk-conformance/${uniqueName('loc')}`;
      const id = await store().createExperiment({ name: uniqueName('located'), artifactLocation: location });
      expect((await store().getExperiment(id)).artifactLocation).toBe(location);
      const run = await store().createRun({ experimentId: id, startTime: Date.now() });
      expect(run.info.artifactUri).toBe(`${location}/${run.info.runId}/artifacts`);
    });

    it('still finds a deleted experiment by name, marked deleted', async () => {
      // MLflow's get_experiment_by_name looks at every lifecycle stage (ViewType.ALL; from source).
      const name = uniqueName('deleted-by-name');
      const id = await store().createExperiment({ name });
      await store().deleteExperiment(id);
      expect(await store().getExperimentByName(name)).toMatchObject({ experimentId: id, lifecycleStage: LifecycleStage.DELETED });
    });

    it('refuses tags on a deleted experiment with INVALID_PARAMETER_VALUE', async () => {
      const id = await store().createExperiment({ name: uniqueName('deleted-tag') });
      await store().deleteExperiment(id);
      await expectCode(store().setExperimentTag(id, 'k', 'v'), 'INVALID_PARAMETER_VALUE');
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
  });
}
