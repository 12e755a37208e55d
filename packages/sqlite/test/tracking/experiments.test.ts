import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { isLogbookError } from '@logbook/core';
import { SqliteStore } from '../../src/index.js';
import { errorCode, useTempDir } from '../helpers.js';

async function refusal(promise: Promise<unknown>): Promise<{ code: string; field?: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    if (isLogbookError(error)) return { code: error.code, ...(error.field !== undefined && { field: error.field }), message: error.message };
    throw error;
  }
  return { code: 'ok', message: '' };
}

describe('createExperiment: artifact locations', () => {
  const dir = useTempDir();

  it('refuses hostile locations with INVALID_PARAMETER_VALUE naming artifactLocation, without echoing them', async () => {
    const store = new SqliteStore({ path: join(dir(), 'a.db') });
    try {
      const root = store.artifactRootUri;
      for (const location of [
        'file:///etc?x=',
        'file:///etc#',
        'file:///?',
        `${root}?x=`,
        '../../../etc',
        'etc',
        `${root}/../../etc`,
        `${root}/%2e%2e/%2e%2e/etc`,
        'file:///etc',
        '/etc',
        `${root}-evil`,
        'ftp://host/x',
        'runs:/abc/artifacts',
      ]) {
        const got = await refusal(store.createExperiment({ name: `x-${Math.random()}`, artifactLocation: location }));
        expect(got, location).toMatchObject({ code: 'INVALID_PARAMETER_VALUE', field: 'artifactLocation' });
        expect(got.message, location).not.toContain(dir());
      }
      const inside = await store.createExperiment({ name: 'inside', artifactLocation: `${root}/team` });
      const run = await store.createRun({ experimentId: inside });
      expect(run.info.artifactUri).toBe(`${root}/team/${run.info.runId}/artifacts`);
      expect(await errorCode(store.createExperiment({ name: 's3', artifactLocation: 's3://bucket/p' }))).toBe('ok');
    } finally {
      store.close();
    }
  });

  it('accepts file: locations elsewhere only with allowArtifactLocationsOutsideRoot, and only the listed schemes', async () => {
    const elsewhere = pathToFileURL(join(dir(), 'elsewhere')).href;
    const open = new SqliteStore({ path: ':memory:', allowArtifactLocationsOutsideRoot: true, artifactSchemes: ['file', 'gs'] });
    try {
      expect(await errorCode(open.createExperiment({ name: 'e', artifactLocation: elsewhere }))).toBe('ok');
      expect(await errorCode(open.createExperiment({ name: 'g', artifactLocation: 'gs://bucket/p' }))).toBe('ok');
      expect(await errorCode(open.createExperiment({ name: 's', artifactLocation: 's3://bucket/p' }))).toBe('INVALID_PARAMETER_VALUE');
      expect(await errorCode(open.createExperiment({ name: 'q', artifactLocation: `${elsewhere}?x=` }))).toBe('INVALID_PARAMETER_VALUE');
    } finally {
      open.close();
    }
  });

  it('refuses an artifactRoot URI with a query or fragment', () => {
    expect(() => new SqliteStore({ path: ':memory:', artifactRoot: 's3://bucket/p?x=' })).toThrow(/artifactRoot/);
    expect(() => new SqliteStore({ path: ':memory:', artifactRoot: 'file:///srv/a#' })).toThrow(/artifactRoot/);
  });

  it('creates no run under an experiment whose location was stored before these rules', async () => {
    const path = join(dir(), 'legacy.db');
    const store = new SqliteStore({ path });
    try {
      const id = await store.createExperiment({ name: 'legacy' });
      const db = new Database(path);
      db.prepare('UPDATE experiments SET artifact_location = ? WHERE experiment_id = ?').run('file:///etc?x=', Number(id));
      db.close();
      expect(await refusal(store.createRun({ experimentId: id }))).toMatchObject({ code: 'INVALID_PARAMETER_VALUE', field: 'artifactLocation' });
      expect((await store.searchRuns({ experimentIds: [id] })).items).toEqual([]);
    } finally {
      store.close();
    }
  });
});
