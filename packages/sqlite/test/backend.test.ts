import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { registeredBackends } from '@logbook/core/spi';
import type { LogbookConfig } from '@logbook/core';
import { type SqliteStore, createSqliteBackend, handlesSqliteUri, sqliteBackend, sqlitePathFromUri } from '../src/index.js';
import { useTempDir } from './helpers.js';

describe('sqliteBackend', () => {
  describe('.handles', () => {
    it('serves sqlite: URIs, :memory:, .db/.sqlite/.sqlite3 paths and scheme-less paths, not http', () => {
      for (const uri of [':memory:', 'sqlite:///x.db', 'sqlite://', './logbook.db', 'runs.sqlite', 'a.SQLITE3', 'data/store', 'C:\\x\\y.db', 'file:///tmp/x.db']) {
        expect(handlesSqliteUri(uri), uri).toBe(true);
      }
      for (const uri of ['http://localhost:5000', 'https://mlflow.example/x.db', 's3://bucket/x']) {
        expect(handlesSqliteUri(uri), uri).toBe(false);
      }
    });
  });

  describe('sqlitePathFromUri', () => {
    it('reads SQLAlchemy-style sqlite URIs', () => {
      expect(sqlitePathFromUri('sqlite:///rel/x.db')).toBe('rel/x.db');
      expect(sqlitePathFromUri('sqlite:////abs/x.db')).toBe('/abs/x.db');
      expect(sqlitePathFromUri('sqlite://')).toBe(':memory:');
      expect(sqlitePathFromUri('sqlite:///:memory:')).toBe(':memory:');
      expect(sqlitePathFromUri('sqlite:x.db')).toBe('x.db');
      expect(sqlitePathFromUri('./logbook.db')).toBe('./logbook.db');
    });
  });

  it('is registered with core when the package is imported', () => {
    expect(registeredBackends()).toContain('sqlite');
  });

  describe('.create', () => {
    const tmp = useTempDir();

    it('opens tracking + registry on one file and local artifacts beside it; close is idempotent', async () => {
      const path = join(tmp(), 'lb.db');
      const backend = await sqliteBackend.create({ trackingUri: `sqlite:///${path}`, maxArtifactSize: 1024 } as LogbookConfig, undefined as never);
      expect(backend.registry).toBe(backend.tracking);
      expect((backend.tracking as SqliteStore).path).toBe(path);
      const run = await backend.tracking.createRun({ experimentId: '0' });
      expect(run.info.artifactUri).toBe(`${pathToFileURL(join(tmp(), 'logbook-artifacts')).href}/0/${run.info.runId}/artifacts`);
      await backend.artifacts.put(run.info.artifactUri, 'model/weights.bin', Buffer.from('w'));
      expect(await backend.artifacts.list(run.info.artifactUri, 'model')).toEqual([{ path: 'model/weights.bin', isDir: false, fileSize: 1 }]);
      await backend.close();
      await backend.close();
    });

    it('honours artifactRoot and a separate sqlite registryUri', async () => {
      const backend = await createSqliteBackend({
        trackingUri: join(tmp(), 't.db'),
        registryUri: join(tmp(), 'r.db'),
        artifactRoot: join(tmp(), 'arts'),
        maxArtifactSize: 10,
      } as LogbookConfig);
      expect(backend.registry).not.toBe(backend.tracking);
      expect((await backend.tracking.getExperiment('0')).artifactLocation).toBe(`${pathToFileURL(join(tmp(), 'arts')).href}/0`);
      await backend.registry.createRegisteredModel({ name: 'm' });
      expect((backend.registry as SqliteStore).path).toBe(join(tmp(), 'r.db'));
      await backend.close();
    });
  });
});
