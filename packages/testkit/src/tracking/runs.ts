import { describe, expect, it } from 'vitest';
import { LifecycleStage, RunStatus } from '@logbook/core';
import type { TrackingStore } from '@logbook/core/spi';
import { expectCode, uniqueName, unknownRunId } from '../support.js';

const RUN_NAME_TAG = 'mlflow.runName';

/** Run lifecycle: create, get, update, tags, delete/restore (MLflow `runs/*`). */
export function runTests(store: () => TrackingStore): void {
  const newExperiment = () => store().createExperiment({ name: uniqueName('runs') });

  describe('runs', () => {
    it('creates a RUNNING run that keeps the given start time, name, user and tags', async () => {
      const experimentId = await newExperiment();
      const startTime = 1_700_000_000_123;
      const run = await store().createRun({
        experimentId,
        startTime,
        runName: 'first-try',
        userId: 'ana',
        tags: { team: 'survey' },
      });
      expect(run.info).toMatchObject({
        experimentId,
        runName: 'first-try',
        userId: 'ana',
        status: RunStatus.RUNNING,
        startTime,
        lifecycleStage: LifecycleStage.ACTIVE,
      });
      expect(run.info.endTime ?? undefined).toBeUndefined();
      expect(run.info.artifactUri.length).toBeGreaterThan(0);
      const fetched = await store().getRun(run.info.runId);
      expect(fetched.info).toMatchObject({ runId: run.info.runId, runName: 'first-try', startTime, userId: 'ana' });
      expect(fetched.data.tags).toMatchObject({ team: 'survey', [RUN_NAME_TAG]: 'first-try' });
      expect(fetched.data.metrics).toEqual([]);
      expect(fetched.data.params).toEqual({});
    });

    it('names an unnamed run and mirrors the name in the mlflow.runName tag', async () => {
      const run = await store().createRun({ experimentId: await newExperiment(), startTime: Date.now() });
      expect(run.info.runName.length).toBeGreaterThan(0);
      const fetched = await store().getRun(run.info.runId);
      expect(fetched.data.tags[RUN_NAME_TAG]).toBe(run.info.runName);
    });

    it("takes the user from the mlflow.user tag when none is given, else 'unknown'", async () => {
      const experimentId = await newExperiment();
      const tagged = await store().createRun({ experimentId, startTime: Date.now(), tags: { 'mlflow.user': 'bob' } });
      expect(tagged.info.userId).toBe('bob');
      const anonymous = await store().createRun({ experimentId, startTime: Date.now() });
      expect(anonymous.info.userId).toBe('unknown');
    });

    it('takes the run name from the mlflow.runName tag when no name is given', async () => {
      const run = await store().createRun({
        experimentId: await newExperiment(),
        startTime: Date.now(),
        tags: { [RUN_NAME_TAG]: 'from-tag' },
      });
      expect(run.info.runName).toBe('from-tag');
    });

    it('rejects a run name that contradicts the mlflow.runName tag', async () => {
      await expectCode(
        store().createRun({
          experimentId: await newExperiment(),
          startTime: Date.now(),
          runName: 'a',
          tags: { [RUN_NAME_TAG]: 'b' },
        }),
        'INVALID_PARAMETER_VALUE',
      );
    });

    it('rejects a run name of the wrong type from a plain-JS caller with a typed error naming the field', async () => {
      const experimentId = await newExperiment();
      const bad: unknown[] = [{ name: 'x' }, 42, false, null, ['a'], Object.create(null)];
      for (const runName of bad) {
        const error = await expectCode(store().createRun({ experimentId, startTime: Date.now(), runName: runName as string }), 'INVALID_PARAMETER_VALUE');
        expect(error).toMatchObject({ field: 'runName' });
      }
      const run = await store().createRun({ experimentId, startTime: Date.now(), runName: 'kept' });
      const error = await expectCode(store().updateRun(run.info.runId, { runName: { toString: () => 'x' } as unknown as string }), 'INVALID_PARAMETER_VALUE');
      expect(error).toMatchObject({ field: 'runName' });
      const tagged = await expectCode(store().createRun({ experimentId, startTime: Date.now(), tags: { [RUN_NAME_TAG]: 7 as unknown as string } }), 'INVALID_PARAMETER_VALUE');
      expect(tagged.message).toMatch(/must be a string/);
      expect((await store().getRun(run.info.runId)).info.runName).toBe('kept');
    });

    it('rejects runs in an unknown experiment with RESOURCE_DOES_NOT_EXIST', async () => {
      await expectCode(store().createRun({ experimentId: '987654321098', startTime: Date.now() }), 'RESOURCE_DOES_NOT_EXIST');
    });

    it('answers RESOURCE_DOES_NOT_EXIST for an unknown run id, for reads and writes', async () => {
      const id = unknownRunId();
      await expectCode(store().getRun(id), 'RESOURCE_DOES_NOT_EXIST');
      await expectCode(store().updateRun(id, { status: RunStatus.FINISHED }), 'RESOURCE_DOES_NOT_EXIST');
      await expectCode(store().setTag(id, 'k', 'v'), 'RESOURCE_DOES_NOT_EXIST');
      await expectCode(store().deleteRun(id), 'RESOURCE_DOES_NOT_EXIST');
      await expectCode(store().restoreRun(id), 'RESOURCE_DOES_NOT_EXIST');
    });

    it('updates status and end time, leaving the other fields alone', async () => {
      const run = await store().createRun({ experimentId: await newExperiment(), startTime: 1_700_000_000_000, runName: 'keep' });
      const info = await store().updateRun(run.info.runId, { status: RunStatus.FINISHED, endTime: 1_700_000_060_000 });
      expect(info).toMatchObject({ status: RunStatus.FINISHED, endTime: 1_700_000_060_000, runName: 'keep', startTime: 1_700_000_000_000 });
      const fetched = await store().getRun(run.info.runId);
      expect(fetched.info).toMatchObject({ status: RunStatus.FINISHED, endTime: 1_700_000_060_000, runName: 'keep' });
    });

    it('renames a run through updateRun and through the mlflow.runName tag, keeping both in sync', async () => {
      const run = await store().createRun({ experimentId: await newExperiment(), startTime: Date.now(), runName: 'before' });
      await store().updateRun(run.info.runId, { runName: 'after-update' });
      let fetched = await store().getRun(run.info.runId);
      expect(fetched.info.runName).toBe('after-update');
      expect(fetched.data.tags[RUN_NAME_TAG]).toBe('after-update');
      await store().setTag(run.info.runId, RUN_NAME_TAG, 'after-tag');
      fetched = await store().getRun(run.info.runId);
      expect(fetched.info.runName).toBe('after-tag');
      expect(fetched.data.tags[RUN_NAME_TAG]).toBe('after-tag');
    });

    it('holds the mlflow.runName tag to the 250-character run-name limit wherever run tags are set', async () => {
      const name = 'n'.repeat(250);
      const tooLong = 'n'.repeat(251);
      const experimentId = await newExperiment();
      await expectCode(store().createRun({ experimentId, startTime: Date.now(), tags: { [RUN_NAME_TAG]: tooLong } }), 'INVALID_PARAMETER_VALUE');
      const run = await store().createRun({ experimentId, startTime: Date.now(), tags: { [RUN_NAME_TAG]: name } });
      expect(run.info.runName).toBe(name);
      await expectCode(store().setTag(run.info.runId, RUN_NAME_TAG, tooLong), 'INVALID_PARAMETER_VALUE');
      await expectCode(store().logBatch(run.info.runId, { tags: [{ key: RUN_NAME_TAG, value: 'x'.repeat(300) }] }), 'INVALID_PARAMETER_VALUE');
      const fetched = await store().getRun(run.info.runId);
      expect(fetched.info.runName).toBe(name);
      expect(fetched.data.tags[RUN_NAME_TAG]).toBe(name);
      expect((await store().searchRuns({ experimentIds: [experimentId] })).items).toHaveLength(1);
    });

    it('upserts run tags and deletes them', async () => {
      const run = await store().createRun({ experimentId: await newExperiment(), startTime: Date.now() });
      await store().setTag(run.info.runId, 'phase', 'warmup');
      await store().setTag(run.info.runId, 'phase', 'train');
      expect((await store().getRun(run.info.runId)).data.tags['phase']).toBe('train');
      await store().deleteTag(run.info.runId, 'phase');
      expect((await store().getRun(run.info.runId)).data.tags['phase']).toBeUndefined();
    });

    it('answers RESOURCE_DOES_NOT_EXIST when deleting a run tag that is not set', async () => {
      const run = await store().createRun({ experimentId: await newExperiment(), startTime: Date.now() });
      await expectCode(store().deleteTag(run.info.runId, 'never-set'), 'RESOURCE_DOES_NOT_EXIST');
    });

    it('soft-deletes and restores a run', async () => {
      const run = await store().createRun({ experimentId: await newExperiment(), startTime: Date.now() });
      await store().deleteRun(run.info.runId);
      expect((await store().getRun(run.info.runId)).info.lifecycleStage).toBe(LifecycleStage.DELETED);
      await store().restoreRun(run.info.runId);
      expect((await store().getRun(run.info.runId)).info.lifecycleStage).toBe(LifecycleStage.ACTIVE);
    });

    it('refuses writes to a deleted run with INVALID_PARAMETER_VALUE', async () => {
      const run = await store().createRun({ experimentId: await newExperiment(), startTime: Date.now() });
      const id = run.info.runId;
      await store().deleteRun(id);
      const metric = { key: 'loss', value: 1, timestamp: Date.now(), step: 0 };
      await expectCode(store().logBatch(id, { metrics: [metric] }), 'INVALID_PARAMETER_VALUE');
      await expectCode(store().logBatch(id, { params: [{ key: 'lr', value: '0.1' }] }), 'INVALID_PARAMETER_VALUE');
      await expectCode(store().setTag(id, 'k', 'v'), 'INVALID_PARAMETER_VALUE');
      await expectCode(store().updateRun(id, { status: RunStatus.FINISHED }), 'INVALID_PARAMETER_VALUE');
      await store().restoreRun(id);
      await store().logBatch(id, { metrics: [metric] });
      expect((await store().getRun(id)).data.metrics.map((m) => m.key)).toEqual(['loss']);
    });
  });
}
