import { describe, expect, it } from 'vitest';
import { ModelStage } from '@logbook/core';
import { expectCode } from '../support.js';
import { modelWithVersions } from './context.js';
import type { RegistryContext } from './context.js';

/** Stages (deprecated in MLflow but served), latest versions, and aliases. */
export function stageAndAliasTests(ctx: RegistryContext): void {
  const registry = ctx.registry;

  describe('stages', () => {
    it('accepts stage names in any case and returns the canonical one', async () => {
      const name = await modelWithVersions(ctx, 1);
      const mv = await registry().transitionModelVersionStage(name, '1', 'production' as ModelStage, false);
      expect(mv.currentStage).toBe(ModelStage.Production);
      expect((await registry().getModelVersion(name, '1')).currentStage).toBe(ModelStage.Production);
      await registry().transitionModelVersionStage(name, '1', 'STAGING' as ModelStage, false);
      expect((await registry().getModelVersion(name, '1')).currentStage).toBe(ModelStage.Staging);
    });

    it('rejects an unknown stage with INVALID_PARAMETER_VALUE', async () => {
      const name = await modelWithVersions(ctx, 1);
      await expectCode(registry().transitionModelVersionStage(name, '1', 'Prod' as ModelStage, false), 'INVALID_PARAMETER_VALUE');
    });

    it('archives the other versions of the target stage only when asked', async () => {
      const name = await modelWithVersions(ctx, 3);
      await registry().transitionModelVersionStage(name, '1', ModelStage.Production, false);
      await registry().transitionModelVersionStage(name, '2', ModelStage.Production, false);
      expect((await registry().getModelVersion(name, '1')).currentStage).toBe(ModelStage.Production);
      await registry().transitionModelVersionStage(name, '3', ModelStage.Production, true);
      const stages = await Promise.all(['1', '2', '3'].map(async (v) => (await registry().getModelVersion(name, v)).currentStage));
      expect(stages).toEqual([ModelStage.Archived, ModelStage.Archived, ModelStage.Production]);
    });

    it('returns the latest version per stage, for all stages or the ones asked', async () => {
      const name = await modelWithVersions(ctx, 4);
      await registry().transitionModelVersionStage(name, '1', ModelStage.Production, false);
      await registry().transitionModelVersionStage(name, '2', ModelStage.Production, false);
      await registry().transitionModelVersionStage(name, '3', ModelStage.Staging, false);
      const all = await registry().getLatestVersions(name);
      expect(all.map((v) => [v.currentStage, v.version]).sort()).toEqual([
        [ModelStage.None, '4'],
        [ModelStage.Production, '2'],
        [ModelStage.Staging, '3'],
      ]);
      const production = await registry().getLatestVersions(name, [ModelStage.Production]);
      expect(production.map((v) => v.version)).toEqual(['2']);
      const model = await registry().getRegisteredModel(name);
      expect(model.latestVersions.map((v) => [v.currentStage, v.version]).sort()).toEqual(all.map((v) => [v.currentStage, v.version]).sort());
    });
  });

  describe('aliases', () => {
    it('points an alias at a version, resolves it, and moves it when set again', async () => {
      const name = await modelWithVersions(ctx, 2);
      await registry().setRegisteredModelAlias(name, 'champion', '1');
      expect((await registry().getModelVersionByAlias(name, 'champion')).version).toBe('1');
      expect((await registry().getModelVersion(name, '1')).aliases).toEqual(['champion']);
      await registry().setRegisteredModelAlias(name, 'champion', '2');
      expect((await registry().getModelVersionByAlias(name, 'champion')).version).toBe('2');
      expect((await registry().getModelVersion(name, '1')).aliases).toEqual([]);
      expect((await registry().getModelVersion(name, '2')).aliases).toEqual(['champion']);
      expect((await registry().getRegisteredModel(name)).aliases).toEqual({ champion: '2' });
    });

    it('deletes an alias; an unknown alias is INVALID_PARAMETER_VALUE (MLflow answers 400, not 404)', async () => {
      const name = await modelWithVersions(ctx, 1);
      await registry().setRegisteredModelAlias(name, 'challenger', '1');
      await registry().deleteRegisteredModelAlias(name, 'challenger');
      await expectCode(registry().getModelVersionByAlias(name, 'challenger'), 'INVALID_PARAMETER_VALUE');
      expect((await registry().getRegisteredModel(name)).aliases).toEqual({});
    });

    it("rejects the reserved aliases 'latest' and 'v<number>'", async () => {
      const name = await modelWithVersions(ctx, 1);
      for (const alias of ['latest', 'Latest', 'v1', 'V12']) {
        await expectCode(registry().setRegisteredModelAlias(name, alias, '1'), 'INVALID_PARAMETER_VALUE');
      }
    });

    it('refuses an alias to a version that does not exist', async () => {
      const name = await modelWithVersions(ctx, 1);
      await expectCode(registry().setRegisteredModelAlias(name, 'ghost', '9'), 'RESOURCE_DOES_NOT_EXIST');
    });

    it('removes the aliases of a deleted version', async () => {
      const name = await modelWithVersions(ctx, 2);
      await registry().setRegisteredModelAlias(name, 'keep', '1');
      await registry().setRegisteredModelAlias(name, 'drop', '2');
      await registry().deleteModelVersion(name, '2');
      await expectCode(registry().getModelVersionByAlias(name, 'drop'), 'INVALID_PARAMETER_VALUE');
      expect((await registry().getRegisteredModel(name)).aliases).toEqual({ keep: '1' });
    });
  });
}
