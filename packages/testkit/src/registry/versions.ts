import { describe, expect, it } from 'vitest';
import { ModelStage, ModelVersionStatus } from '@logbook/core';
import { collectPages, expectCode, uniqueName } from '../support.js';
import { modelName, modelWithVersions, remoteSource } from './context.js';
import type { RegistryContext } from './context.js';

/** Model versions: numbering, status, updates, tags, deletion, download URI, search. */
export function modelVersionTests(ctx: RegistryContext): void {
  const registry = ctx.registry;

  describe('model versions', () => {
    it('numbers versions per model from "1", READY and in stage None', async () => {
      const a = modelName();
      const b = modelName();
      await registry().createRegisteredModel({ name: a });
      await registry().createRegisteredModel({ name: b });
      const a1 = await registry().createModelVersion({ name: a, source: remoteSource(a, '1'), description: 'first', tags: { k: 'v' } });
      const a2 = await registry().createModelVersion({ name: a, source: remoteSource(a, '2') });
      const b1 = await registry().createModelVersion({ name: b, source: remoteSource(b, '1') });
      expect([a1.version, a2.version, b1.version]).toEqual(['1', '2', '1']);
      expect(a1).toMatchObject({
        name: a,
        source: remoteSource(a, '1'),
        description: 'first',
        tags: { k: 'v' },
        status: ModelVersionStatus.READY,
        currentStage: ModelStage.None,
        aliases: [],
      });
      expect(await registry().getModelVersion(a, '1')).toMatchObject({ version: '1', status: ModelVersionStatus.READY, description: 'first' });
    });

    it('links a version to the run it came from', async () => {
      const experimentId = await ctx.tracking().createExperiment({ name: uniqueName('mv-run') });
      const run = await ctx.tracking().createRun({ experimentId, startTime: Date.now() });
      const name = modelName();
      await registry().createRegisteredModel({ name });
      const source = `${run.info.artifactUri}/model`;
      const mv = await registry().createModelVersion({ name, source, runId: run.info.runId });
      expect(mv).toMatchObject({ runId: run.info.runId, source });
      const found = await registry().searchModelVersions({ filter: `run_id = '${run.info.runId}'` });
      expect(found.items.map((v) => [v.name, v.version])).toEqual([[name, '1']]);
    });

    it('answers RESOURCE_DOES_NOT_EXIST for versions of unknown models and unknown versions', async () => {
      await expectCode(registry().createModelVersion({ name: modelName('absent'), source: 's3://b/m' }), 'RESOURCE_DOES_NOT_EXIST');
      const name = await modelWithVersions(ctx, 1);
      await expectCode(registry().getModelVersion(name, '7'), 'RESOURCE_DOES_NOT_EXIST');
    });

    it('updates a version description', async () => {
      const name = await modelWithVersions(ctx, 1);
      expect((await registry().updateModelVersion(name, '1', { description: 'tuned' })).description).toBe('tuned');
      expect((await registry().getModelVersion(name, '1')).description).toBe('tuned');
    });

    it('upserts and deletes version tags', async () => {
      const name = await modelWithVersions(ctx, 1);
      await registry().setModelVersionTag(name, '1', 'validated', 'no');
      await registry().setModelVersionTag(name, '1', 'validated', 'yes');
      expect((await registry().getModelVersion(name, '1')).tags).toEqual({ validated: 'yes' });
      await registry().deleteModelVersionTag(name, '1', 'validated');
      expect((await registry().getModelVersion(name, '1')).tags).toEqual({});
      await registry().deleteModelVersionTag(name, '1', 'never-set');
      await expectCode(registry().setModelVersionTag(name, '9', 'k', 'v'), 'RESOURCE_DOES_NOT_EXIST');
    });

    it('deletes a version without reusing its number', async () => {
      // MLflow soft-deletes versions internally, so numbering continues past a deleted one (checked on 3.17.2).
      const name = await modelWithVersions(ctx, 2);
      await registry().deleteModelVersion(name, '2');
      await expectCode(registry().getModelVersion(name, '2'), 'RESOURCE_DOES_NOT_EXIST');
      expect((await registry().getModelVersion(name, '1')).version).toBe('1');
      expect((await registry().createModelVersion({ name, source: remoteSource(name, '3') })).version).toBe('3');
      const listed = await registry().searchModelVersions({ filter: `name = '${name}'` });
      expect(listed.items.map((v) => v.version).sort()).toEqual(['1', '3']);
    });

    it('gives a download URI for a version (its source for a remote source)', async () => {
      const name = await modelWithVersions(ctx, 1);
      expect(await registry().getModelVersionDownloadUri(name, '1')).toBe(remoteSource(name, '1'));
    });

    describe('.searchModelVersions', () => {
      it('filters by name, version number, source path and tag; orders by version', async () => {
        const name = await modelWithVersions(ctx, 3);
        await registry().setModelVersionTag(name, '2', 'kind', 'candidate');
        const versions = async (filter: string, orderBy?: string[]) => (await registry().searchModelVersions({ filter, orderBy, maxResults: 100 })).items.map((v) => v.version);
        expect(await versions(`name = '${name}'`, ['version_number ASC'])).toEqual(['1', '2', '3']);
        expect(await versions(`name = '${name}'`)).toHaveLength(3);
        expect(await versions(`name = '${name}' and version_number >= 2`, ['version_number DESC'])).toEqual(['3', '2']);
        expect(await versions(`name = '${name}' and source_path = '${remoteSource(name, '1')}'`)).toEqual(['1']);
        expect(await versions(`name = '${name}' and tags.kind = 'candidate'`)).toEqual(['2']);
      });

      it('pages with tokens', async () => {
        const name = await modelWithVersions(ctx, 3);
        const sizes: number[] = [];
        const { items } = await collectPages(async (pageToken) => {
          const page = await registry().searchModelVersions({ filter: `name = '${name}'`, orderBy: ['version_number ASC'], maxResults: 2, pageToken });
          sizes.push(page.items.length);
          return page;
        });
        expect(items.map((v) => v.version)).toEqual(['1', '2', '3']);
        expect(sizes).toEqual([2, 1]);
      });

      it('rejects malformed filters with INVALID_PARAMETER_VALUE', async () => {
        await expectCode(registry().searchModelVersions({ filter: `current_stage = 'None'` }), 'INVALID_PARAMETER_VALUE');
        await expectCode(registry().searchModelVersions({ filter: `version_number = 'one'` }), 'INVALID_PARAMETER_VALUE');
      });
    });
  });
}
