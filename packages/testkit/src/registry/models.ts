import { describe, expect, it } from 'vitest';
import { collectPages, expectCode, uniqueName } from '../support.js';
import { modelName, modelWithVersions, remoteSource } from './context.js';
import type { RegistryContext } from './context.js';

/** Registered models: create, get, update, rename, delete, tags, search. */
export function registeredModelTests(ctx: RegistryContext): void {
  const registry = ctx.registry;

  describe('registered models', () => {
    it('creates a model with description and tags and reads it back', async () => {
      const name = modelName();
      const created = await registry().createRegisteredModel({ name, description: 'segments cells', tags: { team: 'vision' } });
      expect(created).toMatchObject({ name, description: 'segments cells', tags: { team: 'vision' } });
      const fetched = await registry().getRegisteredModel(name);
      expect(fetched).toMatchObject({ name, description: 'segments cells', tags: { team: 'vision' }, latestVersions: [], aliases: {} });
      expect(fetched.creationTimestamp).toBeGreaterThan(0);
      expect(fetched.lastUpdatedTimestamp).toBeGreaterThanOrEqual(fetched.creationTimestamp);
    });

    it('rejects a duplicate name with RESOURCE_ALREADY_EXISTS', async () => {
      const name = modelName();
      await registry().createRegisteredModel({ name });
      await expectCode(registry().createRegisteredModel({ name }), 'RESOURCE_ALREADY_EXISTS');
    });

    it("rejects names with '/' or ':' with INVALID_PARAMETER_VALUE", async () => {
      await expectCode(registry().createRegisteredModel({ name: `${modelName()}/sub` }), 'INVALID_PARAMETER_VALUE');
      await expectCode(registry().createRegisteredModel({ name: `${modelName()}:x` }), 'INVALID_PARAMETER_VALUE');
    });

    it("takes names of up to 256 characters (MLflow's column; emoji count as one) and refuses longer ones, on create and rename", async () => {
      const name = `${modelName('n')}-`;
      const longest = `${name}${'😀'.repeat(256 - [...name].length)}`;
      expect((await registry().createRegisteredModel({ name: longest })).name).toBe(longest);
      expect((await registry().getRegisteredModel(longest)).name).toBe(longest);
      await expectCode(registry().createRegisteredModel({ name: `${longest}x` }), 'INVALID_PARAMETER_VALUE');
      await expectCode(registry().renameRegisteredModel(longest, `${longest}x`), 'INVALID_PARAMETER_VALUE');
      expect((await registry().getRegisteredModel(longest)).name).toBe(longest);
    });

    it('answers RESOURCE_DOES_NOT_EXIST for an unknown model, for reads and writes', async () => {
      const absent = modelName('absent');
      await expectCode(registry().getRegisteredModel(absent), 'RESOURCE_DOES_NOT_EXIST');
      await expectCode(registry().updateRegisteredModel(absent, { description: 'x' }), 'RESOURCE_DOES_NOT_EXIST');
      await expectCode(registry().renameRegisteredModel(absent, modelName('other')), 'RESOURCE_DOES_NOT_EXIST');
      await expectCode(registry().deleteRegisteredModel(absent), 'RESOURCE_DOES_NOT_EXIST');
      await expectCode(registry().setRegisteredModelTag(absent, 'k', 'v'), 'RESOURCE_DOES_NOT_EXIST');
      await expectCode(registry().getLatestVersions(absent), 'RESOURCE_DOES_NOT_EXIST');
    });

    it('updates the description', async () => {
      const name = modelName();
      await registry().createRegisteredModel({ name, description: 'v1' });
      const updated = await registry().updateRegisteredModel(name, { description: 'v2' });
      expect(updated.description).toBe('v2');
      expect((await registry().getRegisteredModel(name)).description).toBe('v2');
    });

    it('renames a model: its versions follow and the old name is gone', async () => {
      const name = await modelWithVersions(ctx, 2);
      const newName = modelName('renamed');
      const renamed = await registry().renameRegisteredModel(name, newName);
      expect(renamed.name).toBe(newName);
      const v2 = await registry().getModelVersion(newName, '2');
      expect(v2).toMatchObject({ name: newName, version: '2', source: remoteSource(name, '2') });
      await expectCode(registry().getRegisteredModel(name), 'RESOURCE_DOES_NOT_EXIST');
      await expectCode(registry().getModelVersion(name, '1'), 'RESOURCE_DOES_NOT_EXIST');
      // Numbering continues under the new name.
      expect((await registry().createModelVersion({ name: newName, source: remoteSource(newName) })).version).toBe('3');
    });

    it('refuses to rename onto an existing name with RESOURCE_ALREADY_EXISTS', async () => {
      // MLflow's SQL store maps the unique-name violation to RESOURCE_ALREADY_EXISTS (checked on 3.17.2).
      const a = modelName();
      const b = modelName();
      await registry().createRegisteredModel({ name: a });
      await registry().createRegisteredModel({ name: b });
      await expectCode(registry().renameRegisteredModel(a, b), 'RESOURCE_ALREADY_EXISTS');
    });

    it('deletes a model together with its versions', async () => {
      const name = await modelWithVersions(ctx, 1);
      await registry().deleteRegisteredModel(name);
      await expectCode(registry().getRegisteredModel(name), 'RESOURCE_DOES_NOT_EXIST');
      await expectCode(registry().getModelVersion(name, '1'), 'RESOURCE_DOES_NOT_EXIST');
      // The name is free again.
      await registry().createRegisteredModel({ name });
      expect((await registry().createModelVersion({ name, source: remoteSource(name) })).version).toBe('1');
    });

    it('upserts and deletes model tags', async () => {
      const name = modelName();
      await registry().createRegisteredModel({ name });
      await registry().setRegisteredModelTag(name, 'stage', 'draft');
      await registry().setRegisteredModelTag(name, 'stage', 'final');
      await registry().setRegisteredModelTag(name, 'owner', 'ana');
      expect((await registry().getRegisteredModel(name)).tags).toEqual({ stage: 'final', owner: 'ana' });
      await registry().deleteRegisteredModelTag(name, 'stage');
      expect((await registry().getRegisteredModel(name)).tags).toEqual({ owner: 'ana' });
      // Unlike run and experiment tags, a registry tag that is not set deletes silently (from source).
      await registry().deleteRegisteredModelTag(name, 'never-set');
    });

    describe('.searchRegisteredModels', () => {
      it('filters by exact name, LIKE prefix and tag', async () => {
        const prefix = uniqueName('rm-search');
        for (const [suffix, team] of [
          ['a', 'x'],
          ['b', 'y'],
          ['c', 'x'],
        ]) {
          await registry().createRegisteredModel({ name: `${prefix}-${suffix}`, tags: { team: team as string } });
        }
        const names = async (filter: string, orderBy?: string[]) => (await registry().searchRegisteredModels({ filter, orderBy, maxResults: 100 })).items.map((m) => m.name);
        expect(await names(`name = '${prefix}-b'`)).toEqual([`${prefix}-b`]);
        expect(await names(`name LIKE '${prefix}-%'`)).toEqual([`${prefix}-a`, `${prefix}-b`, `${prefix}-c`]);
        expect(await names(`name LIKE '${prefix}-%' and tags.team = 'x'`)).toEqual([`${prefix}-a`, `${prefix}-c`]);
        expect(await names(`name ILIKE '${prefix.toUpperCase()}-%'`, ['name DESC'])).toEqual([`${prefix}-c`, `${prefix}-b`, `${prefix}-a`]);
      });

      it("matches `!=` only where the tag is set, and leaves MLflow 3 prompts out unless asked for (MLflow's server does)", async () => {
        const prefix = uniqueName('rm-ne');
        const prompt = 'mlflow.prompt.is_prompt';
        await registry().createRegisteredModel({ name: `${prefix}-a`, tags: { team: 'x' } });
        await registry().createRegisteredModel({ name: `${prefix}-b`, tags: { team: 'y', [prompt]: 'false' } });
        await registry().createRegisteredModel({ name: `${prefix}-c` });
        await registry().createRegisteredModel({ name: `${prefix}-p`, tags: { team: 'y', [prompt]: 'true' } });
        const names = async (filter: string) => (await registry().searchRegisteredModels({ filter: `name LIKE '${prefix}-%'${filter}`, maxResults: 100 })).items.map((m) => m.name);
        const [a, b, c, p] = ['a', 'b', 'c', 'p'].map((s) => `${prefix}-${s}`);
        expect(await names(` and tags.team != 'x'`)).toEqual([b]);
        expect(await names('')).toEqual([a, b, c]);
        expect(await names(` and tags.\`${prompt}\` != 'true'`)).toEqual([a, b, c]);
        expect(await names(` and tags.\`${prompt}\` = 'false'`)).toEqual([a, b, c]);
        expect(await names(` and tags.\`${prompt}\` = 'true'`)).toEqual([p]);
        expect(await names(` and tags.\`${prompt}\` != 'false'`)).toEqual([p]);
        expect(await names(` and tags.\`${prompt}\` = 'true' and tags.team != 'x'`)).toEqual([p]);
      });

      it('pages with tokens', async () => {
        const prefix = uniqueName('rm-page');
        for (const suffix of ['a', 'b', 'c']) await registry().createRegisteredModel({ name: `${prefix}-${suffix}` });
        const sizes: number[] = [];
        const { items } = await collectPages(async (pageToken) => {
          const page = await registry().searchRegisteredModels({ filter: `name LIKE '${prefix}-%'`, maxResults: 2, pageToken });
          sizes.push(page.items.length);
          return page;
        });
        expect(items.map((m) => m.name)).toEqual([`${prefix}-a`, `${prefix}-b`, `${prefix}-c`]);
        expect(sizes).toEqual([2, 1]);
      });

      it('rejects malformed filters and order_by with INVALID_PARAMETER_VALUE', async () => {
        await expectCode(registry().searchRegisteredModels({ filter: `name = 'a' OR name = 'b'` }), 'INVALID_PARAMETER_VALUE');
        await expectCode(registry().searchRegisteredModels({ filter: `params.x = 'a'` }), 'INVALID_PARAMETER_VALUE');
        await expectCode(registry().searchRegisteredModels({ orderBy: ['bogus DESC'] }), 'INVALID_PARAMETER_VALUE');
      });
    });
  });
}
