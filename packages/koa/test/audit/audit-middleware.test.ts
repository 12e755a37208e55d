import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import Koa from 'koa';
import { afterEach, describe, expect, it } from 'vitest';
import { LocalArtifactStore, SqliteStore } from '@logbook/sqlite';
import { AuditLog, JsonlAuditSink, createLogbookRouter, verifyAuditLog } from '../../src/index.js';
import type { AuditEntry, AuditEvent } from '../../src/index.js';
import { FullDiskSink, tempFile } from './support.js';

interface Host {
  readonly store: SqliteStore;
  readonly sink: FullDiskSink;
  readonly log: AuditLog;
  readonly events: AuditEvent[];
  post(path: string, body: unknown): Promise<{ status: number; retryAfter: string | null }>;
  get(path: string): Promise<{ status: number }>;
  names(): Promise<string[]>;
  entries(): Promise<AuditEntry[]>;
}

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

/** A real router on a real SQLite store, its audit log on a JSON-lines file whose appends fail on demand. */
async function startHost(): Promise<Host> {
  const store = new SqliteStore({ path: ':memory:' });
  const path = tempFile();
  const sink = new FullDiskSink(path);
  const events: AuditEvent[] = [];
  const log = await AuditLog.open(sink, { onEvent: (e) => events.push(e) });
  const router = createLogbookRouter({
    stores: { tracking: store, registry: store, artifacts: new LocalArtifactStore() },
    auth: { authenticators: [], anonymousRole: 'admin' },
    audit: log,
    onServerError: () => undefined,
  });
  const app = new Koa();
  app.use(router.routes());
  const server = app.listen(0, '127.0.0.1');
  servers.push(server);
  await new Promise((r) => server.once('listening', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/mlflow`;
  return {
    store,
    sink,
    log,
    events,
    async post(route, body) {
      const res = await fetch(`${base}${route}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      await res.text();
      return { status: res.status, retryAfter: res.headers.get('retry-after') };
    },
    async get(route) {
      const res = await fetch(`${base}${route}`);
      await res.text();
      return { status: res.status };
    },
    async names() {
      return (await store.searchExperiments({ maxResults: 1000 })).items
        .map((x) => x.name)
        .filter((n) => n.startsWith('x-'))
        .sort();
    },
    async entries() {
      const all: AuditEntry[] = [];
      for await (const e of new JsonlAuditSink({ path }).entries()) all.push(e);
      return all;
    },
  };
}

describe('auditMiddleware and auditIntent', () => {
  it('refuses a change whose intent entry cannot be written (503), makes no change, and chains on once the sink recovers', async () => {
    const h = await startHost();
    const statuses: number[] = [];
    for (let i = 0; i < 15; i += 1) {
      h.sink.failWhen = () => i % 2 === 1;
      const res = await h.post('/experiments', { name: `x-${String(i).padStart(2, '0')}` });
      statuses.push(res.status);
      if (res.status === 503) expect(res.retryAfter).not.toBeNull();
    }
    await h.log.close();
    expect(statuses).toEqual(Array.from({ length: 15 }, (_, i) => (i % 2 === 1 ? 503 : 201)));
    expect(await h.names()).toEqual(Array.from({ length: 8 }, (_, i) => `x-${String(i * 2).padStart(2, '0')}`));
    const entries = await h.entries();
    // Every experiment has a success entry that completes an intent entry of the same request.
    const experiments = (await h.store.searchExperiments({ maxResults: 1000 })).items.filter((x) => x.name.startsWith('x-'));
    for (const x of experiments) {
      const outcome = entries.find((e) => e.target === `experiment:${x.experimentId}` && e.outcome === 'success');
      expect(entries.find((e) => e.seq === outcome?.intentSeq)).toMatchObject({ outcome: 'intent', requestId: outcome!.requestId });
    }
    const result = await verifyAuditLog(new JsonlAuditSink({ path: h.sink.path }));
    expect(result).toMatchObject({ ok: true, head: 'ok' });
    expect(result.fenced).toHaveLength(7);
  });

  it('keeps the response of a change already made when its outcome entry fails, and writes that outcome before the next entry', async () => {
    const h = await startHost();
    let once = true;
    h.sink.failWhen = (e) => {
      const fail = once && e.outcome === 'success';
      if (fail) once = false;
      return fail;
    };
    expect((await h.post('/experiments', { name: 'x-made' })).status).toBe(201);
    expect(h.events).toMatchObject([{ kind: 'outcome-deferred', pending: 1 }]);
    expect((await h.post('/experiments', { name: 'x-next' })).status).toBe(201);
    await h.log.close();
    const entries = await h.entries();
    expect(entries.map((e) => `${e.seq} ${e.action} ${e.outcome}${e.intentSeq === undefined ? '' : ` of ${e.intentSeq}`}`)).toEqual([
      '1 experiment.create intent',
      '2 audit.fence error',
      '3 experiment.create success of 1',
      '4 experiment.create intent',
      '5 experiment.create success of 4',
    ]);
    expect(await verifyAuditLog(new JsonlAuditSink({ path: h.sink.path }))).toMatchObject({ ok: true, entries: 5 });
  });

  it('answers an audited read only once its entry is durable', async () => {
    const h = await startHost();
    h.sink.failWhen = () => true;
    expect((await h.get('/models')).status).toBe(503);
    h.sink.failWhen = () => false;
    expect((await h.get('/models')).status).toBe(200);
    await h.log.close();
    expect((await h.entries()).filter((e) => e.action === 'model.list').map((e) => e.status)).toEqual([200]);
  });
});
