import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ModelStage } from '@logbook/core';
import { SqliteStore } from '../src/index.js';
import { errorCode as code } from './helpers.js';

describe('SqliteStore registry', () => {
  let store: SqliteStore;
  beforeEach(() => {
    store = new SqliteStore({ path: ':memory:' });
  });
  afterEach(() => store.close());

  describe('.createModelVersion', () => {
    it('numbers versions per model from 1 and never reuses a deleted number', async () => {
      await store.createRegisteredModel({ name: 'unet' });
      await store.createRegisteredModel({ name: 'other' });
      expect((await store.createModelVersion({ name: 'unet', source: 's3://b/1' })).version).toBe('1');
      expect((await store.createModelVersion({ name: 'other', source: 's3://b/x' })).version).toBe('1');
      expect((await store.createModelVersion({ name: 'unet', source: 's3://b/2' })).version).toBe('2');
      await store.deleteModelVersion('unet', '2');
      const v3 = await store.createModelVersion({ name: 'unet', source: 's3://b/3', tags: { k: 'v' } });
      expect(v3).toMatchObject({ version: '3', currentStage: 'None', status: 'READY', tags: { k: 'v' }, aliases: [] });
    });

    it('refuses an unknown model', async () => {
      expect(await code(store.createModelVersion({ name: 'nope', source: 'x' }))).toBe('RESOURCE_DOES_NOT_EXIST');
    });
  });

  describe('.deleteModelVersion', () => {
    it('hides the version from every read and drops its aliases', async () => {
      await store.createRegisteredModel({ name: 'm' });
      await store.createModelVersion({ name: 'm', source: 'a' });
      await store.setRegisteredModelAlias('m', 'champion', '1');
      await store.deleteModelVersion('m', '1');
      expect(await code(store.getModelVersion('m', '1'))).toBe('RESOURCE_DOES_NOT_EXIST');
      expect((await store.searchModelVersions({ filter: "name = 'm'" })).items).toEqual([]);
      expect((await store.getRegisteredModel('m')).latestVersions).toEqual([]);
      expect((await store.getRegisteredModel('m')).aliases).toEqual({});
      expect(await code(store.getModelVersionByAlias('m', 'champion'))).toBe('INVALID_PARAMETER_VALUE');
    });
  });

  describe('.transitionModelVersionStage', () => {
    it('archives the previous holder with archiveExistingVersions and reports latest per stage', async () => {
      await store.createRegisteredModel({ name: 'm' });
      for (const s of ['a', 'b', 'c']) await store.createModelVersion({ name: 'm', source: s });
      await store.transitionModelVersionStage('m', '1', 'production' as ModelStage, false);
      const v2 = await store.transitionModelVersionStage('m', '2', ModelStage.Production, true);
      expect(v2.currentStage).toBe('Production');
      expect((await store.getModelVersion('m', '1')).currentStage).toBe('Archived');
      const latest = await store.getLatestVersions('m');
      expect(latest.map((v) => [v.currentStage, v.version]).sort()).toEqual([
        ['Archived', '1'],
        ['None', '3'],
        ['Production', '2'],
      ]);
      expect((await store.getLatestVersions('m', [ModelStage.Production])).map((v) => v.version)).toEqual(['2']);
      expect(await code(store.transitionModelVersionStage('m', '3', 'Shipping' as ModelStage, false))).toBe('INVALID_PARAMETER_VALUE');
      expect(await code(store.transitionModelVersionStage('m', '3', ModelStage.Archived, true))).toBe('INTERNAL_ERROR');
    });
  });

  describe('.setRegisteredModelAlias', () => {
    it('moves an alias when set again and resolves it', async () => {
      await store.createRegisteredModel({ name: 'm' });
      await store.createModelVersion({ name: 'm', source: 'a' });
      await store.createModelVersion({ name: 'm', source: 'b' });
      await store.setRegisteredModelAlias('m', 'champion', '1');
      await store.setRegisteredModelAlias('m', 'champion', '2');
      expect((await store.getModelVersionByAlias('m', 'champion')).version).toBe('2');
      expect((await store.getModelVersion('m', '2')).aliases).toEqual(['champion']);
      expect((await store.getRegisteredModel('m')).aliases).toEqual({ champion: '2' });
      expect(await code(store.setRegisteredModelAlias('m', 'latest', '1'))).toBe('INVALID_PARAMETER_VALUE');
      expect(await code(store.setRegisteredModelAlias('m', 'x', '9'))).toBe('RESOURCE_DOES_NOT_EXIST');
    });
  });

  describe('.renameRegisteredModel', () => {
    it('keeps versions, tags and aliases under the new name', async () => {
      await store.createRegisteredModel({ name: 'old', tags: { t: '1' }, description: 'd' });
      await store.createModelVersion({ name: 'old', source: 'a' });
      await store.setRegisteredModelAlias('old', 'prod', '1');
      const renamed = await store.renameRegisteredModel('old', 'new');
      expect(renamed).toMatchObject({ name: 'new', tags: { t: '1' }, aliases: { prod: '1' }, description: 'd' });
      expect((await store.getModelVersion('new', '1')).name).toBe('new');
      expect(await code(store.getRegisteredModel('old'))).toBe('RESOURCE_DOES_NOT_EXIST');
      await store.createRegisteredModel({ name: 'taken' });
      expect(await code(store.renameRegisteredModel('new', 'taken'))).toBe('RESOURCE_ALREADY_EXISTS');
    });
  });

  describe('.searchRegisteredModels', () => {
    it('filters by name and tag, orders by name, pages', async () => {
      for (const n of ['b-1', 'a-1', 'c-1', 'z']) await store.createRegisteredModel({ name: n, tags: { team: n === 'z' ? 'x' : 'survey' } });
      const page1 = await store.searchRegisteredModels({ filter: "name LIKE '%-1' and tags.team = 'survey'", maxResults: 2 });
      expect(page1.items.map((m) => m.name)).toEqual(['a-1', 'b-1']);
      const page2 = await store.searchRegisteredModels({ filter: "name LIKE '%-1'", maxResults: 2, pageToken: page1.nextPageToken! });
      expect(page2.items.map((m) => m.name)).toEqual(['c-1']);
      expect(page2.nextPageToken).toBeUndefined();
      expect(await code(store.createRegisteredModel({ name: 'z' }))).toBe('RESOURCE_ALREADY_EXISTS');
    });
  });

  describe('.deleteRegisteredModel', () => {
    it('removes the model with its versions, and the name can be reused', async () => {
      await store.createRegisteredModel({ name: 'm', tags: { a: 'b' } });
      await store.createModelVersion({ name: 'm', source: 'a', tags: { x: 'y' } });
      await store.deleteRegisteredModel('m');
      expect(await code(store.getRegisteredModel('m'))).toBe('RESOURCE_DOES_NOT_EXIST');
      await store.createRegisteredModel({ name: 'm' });
      expect((await store.createModelVersion({ name: 'm', source: 'b' })).version).toBe('1');
    });
  });
});
