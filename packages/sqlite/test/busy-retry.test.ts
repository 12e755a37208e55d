import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogbook, isLogbookError } from '@logbook/core';
import { SqliteStore } from '../src/index.js';
import { holdWriteLock } from './child-processes.js';
import type { LockHolder } from './child-processes.js';
import { errorCode, useTempDir, watchEventLoop } from './helpers.js';

/** A generous bound that a synchronous wait of the busy timeout (seconds) can never meet. */
const MAX_STALL_MS = 200;

// Another process holds the write lock (BEGIN IMMEDIATE in a child), as a second training script
// or a backup would.
describe('retryWhileBusy: a database locked by another process', () => {
  const tmp = useTempDir('logbook-busy-');
  let holder: LockHolder | undefined;
  afterEach(() => holder?.kill());

  async function lockedStore(busyTimeoutMs: number): Promise<{ store: SqliteStore; path: string }> {
    const path = join(tmp(), 'locked.db');
    await new SqliteStore({ path }).close();
    holder = await holdWriteLock(path);
    return { store: new SqliteStore({ path, busyTimeoutMs }), path };
  }

  it('keeps the event loop running while createRun waits, then rejects with a retryable TEMPORARILY_UNAVAILABLE', async () => {
    const { store } = await lockedStore(1500);
    const loop = watchEventLoop();
    const error = await store.createRun({ experimentId: '0', runName: 'blocked' }).catch((e: unknown) => e);
    const stall = loop.stop();
    expect(isLogbookError(error, 'TEMPORARILY_UNAVAILABLE')).toBe(true);
    expect((error as Error).message).toMatch(/^\[sqlite\] .*locked\.db is locked by another process; still locked after 1500 ms \(option busyTimeoutMs\)/);
    expect(stall).toBeLessThan(MAX_STALL_MS);
    await holder!.release();
    expect((await store.searchRuns({ experimentIds: ['0'] })).items).toEqual([]);
    await store.close();
  });

  it('completes a write once the lock is released while it waits, without blocking the event loop', async () => {
    const { store } = await lockedStore(20_000);
    const loop = watchEventLoop();
    const pending = store.createRun({ experimentId: '0', runName: 'patient' });
    let settled = false;
    void pending.then(
      () => (settled = true),
      () => (settled = true),
    );
    await sleep(300);
    expect(settled).toBe(false);
    await holder!.release();
    const run = await pending;
    expect(loop.stop()).toBeLessThan(MAX_STALL_MS);
    expect((await store.getRun(run.info.runId)).info.runName).toBe('patient');
    await store.close();
  });

  it('opens an up-to-date file and reads from it while the lock is held elsewhere', async () => {
    const { store, path } = await lockedStore(1000);
    const loop = watchEventLoop();
    const second = new SqliteStore({ path, busyTimeoutMs: 1000 });
    expect((await second.getExperiment('0')).name).toBe('Default');
    expect((await store.searchExperiments()).items).toHaveLength(1);
    expect(loop.stop()).toBeLessThan(MAX_STALL_MS);
    await second.close();
    await store.close();
  });

  it('checkWritable rejects while the lock is held and resolves once it is free', async () => {
    const { store } = await lockedStore(300);
    expect(await errorCode(store.checkWritable())).toBe('TEMPORARILY_UNAVAILABLE');
    await holder!.release();
    expect(await errorCode(store.checkWritable())).toBe('ok');
    await store.close();
  });

  it('rejects with INVALID_STATE when the store is closed while an operation waits for the lock', async () => {
    const { store } = await lockedStore(20_000);
    const pending = errorCode(store.setExperimentTag('0', 'k', 'v'));
    await sleep(50);
    await store.close();
    expect(await pending).toBe('INVALID_STATE');
  });

  it('startRun through createLogbook waits on timers for the default 5 s, then fails typed', async () => {
    const path = join(tmp(), 'logbook.db');
    const logbook = await createLogbook({ trackingUri: path, logging: { drainOnExit: false } });
    holder = await holdWriteLock(path);
    const loop = watchEventLoop();
    const error = await logbook.tracker.startRun('0', 'blocked').catch((e: unknown) => e);
    expect(loop.stop()).toBeLessThan(MAX_STALL_MS);
    expect(isLogbookError(error, 'TEMPORARILY_UNAVAILABLE')).toBe(true);
    await holder.release();
    expect(await errorCode(logbook.tracker.startRun('0', 'after'))).toBe('ok');
    await logbook.close();
  }, 20_000);
});
