import { spawnSync } from 'node:child_process';
import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqliteStore, LocalArtifactStore } from '@logbook/sqlite';
import { CATCH_ALL_PATH, createLogbookRouter } from '../../src/index.js';
import type Router from '@koa/router';
import Koa from 'koa';

const root = fileURLToPath(new URL('../../../../', import.meta.url));

/** `/a/:b/*c` (koa-router) → `/a/{b}/{c}` (OpenAPI). */
function toTemplate(path: string, prefix: string): string {
  return path
    .slice(prefix.length)
    .replace(/\*([a-z_]+)/g, '{$1}')
    .replace(/:([a-z_]+)/g, '{$1}');
}

describe('buildOpenApiDocument', () => {
  let store: SqliteStore;
  let router: Router;
  let server: Server;
  let doc: { openapi: string; paths: Record<string, Record<string, { operationId: string; parameters?: { name: string; in: string }[]; responses: Record<string, unknown> }>> };

  beforeAll(async () => {
    store = new SqliteStore({ path: ':memory:' });
    router = createLogbookRouter({ tracking: store, registry: store, artifacts: new LocalArtifactStore(), auth: { authenticators: [] }, prefix: '/api/logbook' });
    const app = new Koa().use(router.routes());
    server = app.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/api/logbook/openapi.json`);
    expect(res.status).toBe(200);
    doc = (await res.json()) as typeof doc;
  });
  afterAll(async () => {
    server?.close();
    await store.close();
  });

  it('documents every mounted route, and mounts every documented route', () => {
    const mounted = router.stack
      .filter((l) => l.path !== `/api/logbook${CATCH_ALL_PATH}`)
      .flatMap((l) => l.methods.filter((m) => m !== 'HEAD').map((m) => `${m.toLowerCase()} ${toTemplate(String(l.path), '/api/logbook')}`))
      .sort();
    const documented = Object.entries(doc.paths)
      .flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m} ${path}`))
      .sort();
    expect(mounted).toEqual(documented);
    for (const required of [
      'get /experiments',
      'post /experiments',
      'get /experiments/{experiment_id}/runs',
      'post /experiments/{experiment_id}/runs',
      'get /models',
      'post /models/register',
      'get /models/{name}/versions',
      'post /models/{name}/versions/{version}/transition',
      'post /models/{name}/versions',
      'get /models/{name}/versions/{version}',
      'get /models/{name}/versions/{version}/download',
      'get /models/{name}/compare',
      'post /models/{name}/rollback',
      'post /models/{name}/versions/{version}/archive',
      'get /models/{name}/deployments',
      'post /models/{name}/deployments',
      'post /models/{name}/monitor',
      'get /artifacts/{run_id}/{path}',
      'get /health',
      'get /metrics',
      'get /openapi.json',
      'get /audit',
    ]) {
      expect(documented).toContain(required);
    }
  });

  it('declares every path parameter and an error response per operation', () => {
    for (const [path, ops] of Object.entries(doc.paths)) {
      const names = [...path.matchAll(/\{([a-z_]+)\}/g)].map((m) => m[1]);
      for (const op of Object.values(ops)) {
        expect(
          op.parameters
            ?.filter((p) => p.in === 'path')
            .map((p) => p.name)
            .sort() ?? [],
          `${path} ${op.operationId}`,
        ).toEqual(names.sort());
        expect(Object.keys(op.responses)).toContain('500');
      }
    }
  });

  it('documents the model upload as a streamed octet-stream body', () => {
    const upload = doc.paths['/models/{name}/versions']!.post as unknown as { requestBody: { content: Record<string, unknown> }; responses: Record<string, unknown> };
    expect(Object.keys(upload.requestBody.content)).toEqual(['application/octet-stream']);
    expect(Object.keys(upload.responses)).toEqual(expect.arrayContaining(['200', '201', '409', '415']));
    const download = doc.paths['/models/{name}/versions/{version}/download']!.get as unknown as { responses: Record<string, { content?: Record<string, unknown> }> };
    expect(Object.keys(download.responses['200']!.content!)).toEqual(['application/octet-stream']);
  });

  it('is a valid OpenAPI 3.1 document (openapi-spec-validator)', () => {
    const validator = join(root, '.cache/venv/bin/openapi-spec-validator');
    expect(existsSync(validator), 'run `bash scripts/setup-python.sh`').toBe(true);
    const file = join(mkdtempSync(join(tmpdir(), 'openapi-')), 'openapi.json');
    writeFileSync(file, JSON.stringify(doc));
    const result = spawnSync(validator, [file], { encoding: 'utf8' });
    expect(result.status, result.stdout + result.stderr).toBe(0);
    expect(doc.openapi).toBe('3.1.0');
  });
});
