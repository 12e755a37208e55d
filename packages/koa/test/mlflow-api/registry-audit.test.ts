import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { RegistryAuditSink, RegistryChange } from '@logbook/core';
import { LocalArtifactStore, SqliteStore } from '@logbook/sqlite';
import { basicAuth, listenMlflowApi } from '../../src/index.js';

describe('createMlflowApiRouter with registryAudit', () => {
  it('reports the registry changes MLflow clients make, by the authenticated user, source rest, with the request id; reads report nothing', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'logbook-mlflow-audit-'));
    const root = pathToFileURL(join(dir, 'artifacts')).href;
    const store = new SqliteStore({ path: join(dir, 'logbook.db'), artifactRoot: root });
    const changes: RegistryChange[] = [];
    const sink: RegistryAuditSink = {
      record: async (c) => {
        changes.push(c);
      },
    };
    const server = await listenMlflowApi({
      tracking: store,
      registry: store,
      artifacts: new LocalArtifactStore({ root }),
      port: 0,
      registryAudit: sink,
      auth: { authenticators: [basicAuth((u, p) => (u === 'ada' && p === 'pw' ? { id: u, role: 'editor' } : undefined))] },
    });
    const authorization = `Basic ${Buffer.from('ada:pw').toString('base64')}`;
    const call = async (path: string, body?: unknown) => {
      const init: RequestInit = body === undefined ? { headers: { authorization } } : { method: 'POST', headers: { authorization, 'content-type': 'application/json' }, body: JSON.stringify(body) };
      const res = await fetch(`${server.url}/api/2.0/mlflow${path}`, init);
      expect(res.status).toBe(200);
      return res.headers.get('x-request-id');
    };
    try {
      await call('/registered-models/create', { name: 'det' });
      await call('/model-versions/create', { name: 'det', source: 's3://b/det/1' });
      const transition = await call('/model-versions/transition-stage', { name: 'det', version: '1', stage: 'Staging', archive_existing_versions: false });
      await call('/registered-models/search?max_results=10');
      await call('/model-versions/get?name=det&version=1');
      expect(changes.map((c) => [c.action, c.target, c.actor, c.source])).toEqual([
        ['model.create', 'model:det', 'ada', 'rest'],
        ['model.version.create', 'model:det/1', 'ada', 'rest'],
        ['model.version.transition', 'model:det/1', 'ada', 'rest'],
      ]);
      expect(changes[2]).toMatchObject({ before: { stage: 'None' }, after: { stage: 'Staging' }, requestId: transition });
    } finally {
      await server.close();
      await store.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
