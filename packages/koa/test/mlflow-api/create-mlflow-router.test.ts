import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalArtifactStore, SqliteStore } from '@logbook/sqlite';
import { basicAuth, listenMlflowApi } from '../../src/index.js';
import type { MlflowApiServer } from '../../src/index.js';

// A real HTTP server on a port the OS picked, over a real SQLite store and artifact folder.
describe('createMlflowApiRouter', () => {
  let dir: string;
  let store: SqliteStore;
  let server: MlflowApiServer;
  const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
  const call = (path: string, init: RequestInit = {}, auth = basic('ada', 'correct horse')) =>
    fetch(`${server.url}${path}`, { ...init, headers: { authorization: auth, ...(init.body !== undefined && { 'content-type': 'application/json' }), ...init.headers } });

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'logbook-mlflow-api-'));
    const root = pathToFileURL(join(dir, 'artifacts')).href;
    store = new SqliteStore({ path: join(dir, 'logbook.db'), artifactRoot: root });
    server = await listenMlflowApi({
      tracking: store,
      registry: store,
      artifacts: new LocalArtifactStore({ root }),
      port: 0,
      auth: { authenticators: [basicAuth((u, p) => (u === 'ada' && p === 'correct horse' ? { id: u, role: 'editor' } : undefined))] },
    });
  });

  afterAll(async () => {
    await server.close();
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  describe('.errors', () => {
    it('answers out-of-scope MLflow endpoints with 404 ENDPOINT_NOT_FOUND JSON, never a 500', async () => {
      for (const [method, path] of [
        ['POST', '/api/3.0/mlflow/traces'],
        ['GET', '/api/2.0/mlflow/logged-models/m-123'],
        ['POST', '/api/2.0/mlflow/webhooks'],
        ['GET', '/graphql'],
      ] as const) {
        const res = await call(path, { method, ...(method === 'POST' && { body: '{}' }) });
        expect(res.status).toBe(404);
        expect(((await res.json()) as { error_code: string }).error_code).toBe('ENDPOINT_NOT_FOUND');
      }
    });

    it('refuses wrong credentials with 401 and missing ones too, but keeps /health open', async () => {
      expect((await call('/api/2.0/mlflow/experiments/search', { method: 'POST', body: '{}' }, basic('ada', 'wrong'))).status).toBe(401);
      expect((await call('/api/2.0/mlflow/experiments/search', { method: 'POST', body: '{}' }, '')).status).toBe(401);
      expect(await (await fetch(`${server.url}/health`)).text()).toBe('OK');
    });

    it('answers a POST without application/json, a missing field and a duplicate name as MLflow does', async () => {
      const text = await fetch(`${server.url}/api/2.0/mlflow/experiments/create`, {
        method: 'POST',
        headers: { authorization: basic('ada', 'correct horse'), 'content-type': 'text/plain' },
        body: 'x',
      });
      expect(text.status).toBe(400);
      const missing = await call('/api/2.0/mlflow/experiments/create', { method: 'POST', body: '{}' });
      expect([missing.status, ((await missing.json()) as { error_code: string }).error_code]).toEqual([400, 'INVALID_PARAMETER_VALUE']);
      expect((await call('/api/2.0/mlflow/experiments/create', { method: 'POST', body: JSON.stringify({ name: 'dup' }) })).status).toBe(200);
      const dup = await call('/api/2.0/mlflow/experiments/create', { method: 'POST', body: JSON.stringify({ name: 'dup' }) });
      expect([dup.status, ((await dup.json()) as { error_code: string }).error_code]).toEqual([400, 'RESOURCE_ALREADY_EXISTS']);
    });
  });

  describe('.model-versions', () => {
    it('keeps an mlflow-artifacts: source as the store location, shows it back as sent, and refuses .. however encoded', async () => {
      const post = (path: string, body: unknown) => call(`/api/2.0/mlflow/${path}`, { method: 'POST', body: JSON.stringify(body) });
      expect((await post('registered-models/create', { name: 'src' })).status).toBe(200);
      const created = await post('model-versions/create', { name: 'src', source: 'mlflow-artifacts:/1/abc/artifacts/model' });
      const version = ((await created.json()) as { model_version: { source: string; version: string } }).model_version;
      expect(version.source).toBe('mlflow-artifacts:/1/abc/artifacts/model');
      const stored = await store.getModelVersion('src', version.version);
      expect(stored.source).toBe(`${pathToFileURL(join(dir, 'artifacts')).href}/1/abc/artifacts/model`);
      const uri = await call(`/api/2.0/mlflow/model-versions/get-download-uri?name=src&version=${version.version}`);
      expect(await uri.json()).toEqual({ artifact_uri: 'mlflow-artifacts:/1/abc/artifacts/model' });
      for (const source of ['mlflow-artifacts:/1/../../etc', 'mlflow-artifacts:/1/..%2F..%2Fetc', 'mlflow-artifacts:/1/%252e%252e/x', '/srv/models/../../x', 'file:///a/b\\..\\c']) {
        const bad = await post('model-versions/create', { name: 'src', source });
        expect([bad.status, ((await bad.json()) as { error_code: string }).error_code]).toEqual([400, 'INVALID_PARAMETER_VALUE']);
      }
    });
  });

  describe('.artifacts', () => {
    it('shows run artifact URIs as mlflow-artifacts: and round-trips bytes through the proxy', async () => {
      const created = await call('/api/2.0/mlflow/experiments/create', { method: 'POST', body: JSON.stringify({ name: 'art' }) });
      const { experiment_id: id } = (await created.json()) as { experiment_id: string };
      const run = await call('/api/2.0/mlflow/runs/create', { method: 'POST', body: JSON.stringify({ experiment_id: id, start_time: 1 }) });
      const uri = ((await run.json()) as { run: { info: { artifact_uri: string } } }).run.info.artifact_uri;
      expect(uri).toMatch(new RegExp(`^mlflow-artifacts:/${id}/[0-9a-f]{32}/artifacts$`));
      const path = `${uri.slice('mlflow-artifacts:/'.length)}/dir/a.bin`;
      const put = await call(`/api/2.0/mlflow-artifacts/artifacts/${path}`, { method: 'PUT', body: new Uint8Array([1, 2, 3]), headers: { 'content-type': 'application/octet-stream' } });
      expect(put.status).toBe(200);
      expect(new Uint8Array(await (await call(`/api/2.0/mlflow-artifacts/artifacts/${path}`)).arrayBuffer())).toEqual(new Uint8Array([1, 2, 3]));
      const list = await call(`/api/2.0/mlflow-artifacts/artifacts?path=${encodeURIComponent(path.replace(/\/a\.bin$/, ''))}`);
      expect(await list.json()).toEqual({ files: [{ path: 'a.bin', is_dir: false, file_size: 3 }] });
    });

    it('refuses a proxied path that climbs out of the root', async () => {
      const res = await call('/api/2.0/mlflow-artifacts/artifacts/1/..%2F..%2F..%2Fetc%2Fpasswd');
      expect([res.status, ((await res.json()) as { error_code: string }).error_code]).toEqual([400, 'INVALID_PARAMETER_VALUE']);
    });
  });
});
