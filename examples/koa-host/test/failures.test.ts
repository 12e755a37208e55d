import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalArtifactStore, SqliteStore } from '@logbook/sqlite';
import { startHost, unique } from './support.js';
import type { TestHost } from './support.js';

describe('example host: server-side failures and observability', () => {
  let t: TestHost;
  const reported: { requestId: string; status: number }[] = [];
  beforeAll(async () => {
    t = await startHost({ onServerError: (_e, info) => reported.push(info) });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('counts requests by route and status in /metrics, in a registry of its own', async () => {
    await t.api('/experiments');
    await t.api('/experiments/abc');
    const other = await startHost();
    try {
      await other.api('/experiments');
      const text = (await t.api('/metrics')).body as string;
      expect(text).toMatch(/logbook_http_requests_total\{method="GET",route="\/experiments",status="200"\} 1\n/);
      expect(text).toMatch(/logbook_http_requests_total\{method="GET",route="\/experiments\/\{experiment_id\}",status="400"\} 1/);
      expect(text).toContain('logbook_http_request_duration_seconds_bucket');
      expect(text).toMatch(/logbook_logging_backlog\{field="buffered"\} \d+/);
      expect((await t.api('/metrics', { key: null })).status).toBe(401);
    } finally {
      await other.close();
    }
  });

  it('reports the logging backlog in /health', async () => {
    const health = await t.api('/health', { key: null });
    expect(health.body.logging).toMatchObject({ buffered: expect.any(Number), dropped: expect.any(Number) });
  });

  it('answers an unexpected backend failure with 500 and a request id, no internal detail', async () => {
    const name = unique('before-close');
    expect((await t.api('/experiments', { body: { name } })).status).toBe(201);
    await t.host.logbook.stores.tracking.close();
    const res = await t.api('/experiments');
    expect(res.status).toBe(500);
    expect(res.body.error_code).toBe('INTERNAL_ERROR');
    expect(res.body.message).toBe(`[koa] Internal error (request id ${res.body.request_id}).`);
    expect(JSON.stringify(res.body)).not.toMatch(/sqlite|closed|at .*\.ts/);
    expect(res.headers.get('x-request-id')).toBe(res.body.request_id);
    expect(reported).toContainEqual(expect.objectContaining({ requestId: res.body.request_id, status: 500 }));
    const metrics = (await t.api('/metrics')).body as string;
    expect(metrics).toMatch(/logbook_backend_errors_total\{code="INTERNAL_ERROR"\} \d+/);
    const health = await t.api('/health', { key: null });
    expect(health.status).toBe(503);
    expect(health.headers.get('retry-after')).toBe('5');
    expect(health.body.backend.reachable).toBe(false);
  });
});

describe('example host: backend unavailable', () => {
  it('answers 503 with Retry-After while the database is locked by another process', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'logbook-busy-'));
    const path = join(folder, 'busy.db');
    const store = new SqliteStore({ path, busyTimeoutMs: 50 });
    const t = await startHost({ logbook: { stores: { tracking: store, registry: store, artifacts: new LocalArtifactStore() } } });
    const locker = new Database(path);
    try {
      locker.exec('BEGIN EXCLUSIVE');
      const res = await t.api('/experiments', { body: { name: unique('locked') } });
      expect(res.status).toBe(503);
      expect(res.body.error_code).toBe('TEMPORARILY_UNAVAILABLE');
      expect(res.headers.get('retry-after')).toBe('5');
      locker.exec('ROLLBACK');
      expect((await t.api('/experiments', { body: { name: unique('unlocked') } })).status).toBe(201);
    } finally {
      locker.close();
      await t.close();
      await store.close();
    }
  });
});
