import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startHost, unique } from '../../../../examples/koa-host/test/support.js';
import type { TestHost } from '../../../../examples/koa-host/test/support.js';
import { holdWriteLock } from '../../../sqlite/test/child-processes.js';
import type { LockHolder } from '../../../sqlite/test/child-processes.js';
import { watchEventLoop } from '../../../sqlite/test/helpers.js';

/** The store's default busyTimeoutMs: how long a write keeps trying before 503. */
const BUSY_TIMEOUT_MS = 5000;

// The host's SQLite file, locked by another process (BEGIN IMMEDIATE in a child), as a second
// training script or a backup would.
describe('systemRoutes: GET /health', () => {
  let t: TestHost | undefined;
  let holder: LockHolder | undefined;
  afterEach(async () => {
    holder?.kill();
    await t?.close();
  });

  it('answers 200 ok with a writable backend', async () => {
    t = await startHost();
    const health = await t.api('/health', { key: null });
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({ status: 'ok', backend: { reachable: true, writable: true } });
  });

  it('reports a database locked by another process as degraded in time, while the host keeps serving', async () => {
    t = await startHost();
    holder = await holdWriteLock(join(t.folder, 'logbook.db'));
    const loop = watchEventLoop();
    // A write that has to wait for the lock, in flight while the other requests come in.
    const write = t.api('/experiments', { body: { name: unique('waits') } });
    const home = await fetch(`${t.url}/`);
    expect(home.status).toBeLessThan(500);
    const started = performance.now();
    const health = await t.api('/health', { key: null });
    const answeredIn = performance.now() - started;
    expect(health.status).toBe(503);
    expect(health.headers.get('retry-after')).toBe('5');
    expect(health.body).toMatchObject({ status: 'degraded', backend: { reachable: true, writable: false, write_error: 'DEADLINE_EXCEEDED' } });
    // Before the store gives up on the lock: the health check did not have to wait for it.
    expect(answeredIn).toBeLessThan(BUSY_TIMEOUT_MS);
    await holder.release();
    expect((await write).status).toBe(201);
    expect(loop.stop()).toBeLessThan(200);
    expect((await t.api('/health', { key: null })).body).toMatchObject({ status: 'ok', backend: { writable: true } });
  }, 30_000);
});
