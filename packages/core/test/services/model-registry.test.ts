import { describe, expect, it } from 'vitest';
import { ModelStage } from '../../src/index.js';
import { servicesOverMemory } from '../support/logbook-fixture.js';

describe('ModelRegistry', () => {
  describe('.registerModel', () => {
    it('creates the registered model on first use and numbers versions from 1', async () => {
      const { registry } = servicesOverMemory();
      const v1 = await registry.registerModel('runs:/r1/model', 'unet', 'r1', { description: 'first', tags: { data: 'v1' } });
      const v2 = await registry.registerModel('runs:/r2/model', 'unet');
      expect([v1.version, v2.version]).toEqual(['1', '2']);
      expect(v1).toMatchObject({ runId: 'r1', description: 'first', tags: { data: 'v1' }, currentStage: ModelStage.None });
      expect((await registry.getModelVersions('unet')).map((v) => v.version)).toEqual(['1', '2']);
      expect((await registry.getModel('unet')).name).toBe('unet');
    });

    it('tolerates the model being created concurrently', async () => {
      const { registry } = servicesOverMemory();
      const versions = await Promise.all([registry.registerModel('s1', 'm'), registry.registerModel('s2', 'm')]);
      expect(versions.map((v) => v.version).sort()).toEqual(['1', '2']);
    });
  });

  describe('.getModelVersion', () => {
    it('finds the versions of a model whose name holds a quote or a backslash (filter literals are not escaped)', async () => {
      const { registry } = servicesOverMemory();
      for (const name of ["o'brien", 'say "hi"', 'back\\slash', "o'b \\ 🔭"]) {
        await registry.registerModel('s3://b/m', name);
        expect((await registry.getModelVersion(name, 'latest')).name, name).toBe(name);
        expect(await registry.listModelVersions(name), name).toHaveLength(1);
      }
    });

    it('refuses a name no filter literal can hold with INVALID_PARAMETER_VALUE', async () => {
      const { registry } = servicesOverMemory();
      await registry.registerModel('s3://b/m', `it's "both"`);
      await expect(registry.getModelVersion(`it's "both"`, 'latest')).rejects.toMatchObject({ code: 'INVALID_PARAMETER_VALUE' });
    });
  });

  describe('aliases and stages', () => {
    it('moves aliases, resolves them and deletes them', async () => {
      const { registry } = servicesOverMemory();
      await registry.registerModel('s1', 'm');
      await registry.registerModel('s2', 'm');
      await registry.setAlias('m', 'champion', '1');
      await registry.setAlias('m', 'champion', '2');
      expect((await registry.getVersionByAlias('m', 'champion')).version).toBe('2');
      await registry.deleteAlias('m', 'champion');
      await expect(registry.getVersionByAlias('m', 'champion')).rejects.toMatchObject({ code: 'INVALID_PARAMETER_VALUE' });
    });

    it('transitions stages, archiving the others on request', async () => {
      const { registry } = servicesOverMemory();
      await registry.registerModel('s1', 'm');
      await registry.registerModel('s2', 'm');
      await registry.transitionStage('m', '1', ModelStage.Production);
      await registry.transitionStage('m', '2', ModelStage.Production, true);
      expect((await registry.getModelVersion('m', '1')).currentStage).toBe(ModelStage.Archived);
      expect((await registry.getModelVersion('m', '2')).currentStage).toBe(ModelStage.Production);
    });

    it('sets tags and deletes versions and models', async () => {
      const { registry } = servicesOverMemory();
      await registry.registerModel('s1', 'm');
      await registry.setModelTag('m', 'team', 'survey');
      await registry.setVersionTag('m', '1', 'ok', 'yes');
      expect((await registry.getModel('m')).tags).toEqual({ team: 'survey' });
      expect((await registry.getModelVersion('m', '1')).tags).toEqual({ ok: 'yes' });
      await registry.deleteModelVersion('m', '1');
      expect(await registry.getModelVersions('m')).toEqual([]);
      await registry.deleteModel('m');
      await expect(registry.getModel('m')).rejects.toMatchObject({ code: 'RESOURCE_DOES_NOT_EXIST' });
    });
  });
});
