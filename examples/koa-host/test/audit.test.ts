import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JsonlAuditSink, SqliteAuditSink, verifyAuditLog } from '@logbook/koa';
import { USERS, startHost, unique } from './support.js';
import type { TestHost } from './support.js';

describe('example host: audit log', () => {
  let t: TestHost;
  const stderr: string[] = [];
  let auditPath: string;
  beforeAll(async () => {
    t = await startHost({ onServerError: (e, info) => stderr.push(`${info.requestId} ${String(e)}`) });
    auditPath = join(t.folder, 'logbook.db.audit.jsonl');
  });
  afterAll(async () => {
    await t?.close();
  });

  it('records every write and registry operation with who, what, target, outcome and request id', async () => {
    const created = await t.api('/experiments', { body: { name: unique('audited') }, headers: { 'x-request-id': 'req-create-0001' } });
    const denied = await t.api('/experiments', { key: t.keys.reader, body: { name: unique('denied') } });
    await t.api('/experiments', { key: null, body: { name: unique('anon') } });
    await t.api('/models', { key: t.keys.reader });
    expect(denied.status).toBe(403);
    const entries = (await t.api('/audit?max_results=1000')).body.entries as Record<string, unknown>[];
    expect(entries).toContainEqual(
      expect.objectContaining({
        actor: 'key:admin',
        auth_method: 'api-key',
        action: 'experiment.create',
        target: `experiment:${created.body.experiment_id}`,
        outcome: 'success',
        status: 201,
        request_id: 'req-create-0001',
      }),
    );
    expect(entries).toContainEqual(expect.objectContaining({ actor: 'key:reader', action: 'experiment.create', outcome: 'denied', status: 403 }));
    expect(entries).toContainEqual(expect.objectContaining({ actor: 'anonymous', action: 'experiment.create', outcome: 'unauthenticated', status: 401 }));
    expect(entries).toContainEqual(expect.objectContaining({ actor: 'key:reader', action: 'model.list', outcome: 'success' }));
    // Reads of tracking data are not audited.
    await t.api('/experiments');
    const after = (await t.api('/audit?max_results=1000')).body.entries as { action: string }[];
    expect(after.filter((e) => e.action.startsWith('experiment.list'))).toEqual([]);
  });

  it('serves GET /audit to admins only, filtered and paged', async () => {
    expect((await t.api('/audit', { key: t.keys.editor })).status).toBe(403);
    const first = await t.api('/audit?action=experiment.create&max_results=1');
    expect(first.body.entries).toHaveLength(1);
    const second = await t.api(`/audit?action=experiment.create&max_results=1&page_token=${first.body.next_page_token}`);
    expect(second.body.entries[0].seq).toBeGreaterThan(first.body.entries[0].seq);
    expect((await t.api('/audit?since=not-a-time')).body.field).toBe('since');
  });

  it('exports its head at GET /audit/head (admins only): an anchor that verifyAuditLog checks', async () => {
    expect((await t.api('/audit/head', { key: t.keys.editor })).status).toBe(403);
    const head = (await t.api('/audit/head')).body;
    const lines = readFileSync(auditPath, 'utf8').trim().split('\n');
    expect(head).toMatchObject({ seq: lines.length, hash: JSON.parse(lines[lines.length - 1]!).hash });
    expect(await verifyAuditLog(new JsonlAuditSink({ path: auditPath }), { anchors: [head] })).toMatchObject({ ok: true, head: 'ok' });
    const copy = join(t.folder, 'cut.jsonl');
    writeFileSync(copy, `${lines.slice(0, -1).join('\n')}\n`);
    expect(await verifyAuditLog(new JsonlAuditSink({ path: copy }), { anchors: [head] })).toMatchObject({ ok: false, reason: expect.stringMatching(/cut off the end/) });
  });

  it('is hash-chained: verifyAuditLog passes, and finds an edited entry', async () => {
    const sink = new JsonlAuditSink({ path: auditPath });
    expect(await verifyAuditLog(sink)).toMatchObject({ ok: true });
    const lines = readFileSync(auditPath, 'utf8').trim().split('\n');
    const copy = join(t.folder, 'tampered.jsonl');
    const edited = JSON.parse(lines[1]!);
    edited.actor = 'someone-else';
    writeFileSync(copy, [lines[0], JSON.stringify(edited), ...lines.slice(2)].join('\n') + '\n');
    expect(await verifyAuditLog(new JsonlAuditSink({ path: copy }))).toMatchObject({ ok: false, firstBadSeq: 2 });
    writeFileSync(copy, [lines[0], ...lines.slice(2)].join('\n') + '\n');
    expect(await verifyAuditLog(new JsonlAuditSink({ path: copy }))).toMatchObject({ ok: false, firstBadSeq: 2 });
  });

  it('never writes a credential to the audit log or the error reporter', async () => {
    const session = await fetch(`${t.url}/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'alice', password: USERS[0]!.password }) });
    const token = ((await session.json()) as { token: string }).token;
    await t.api('/experiments', { key: null, headers: { authorization: `Bearer ${token}` }, body: { name: unique('by-token') } });
    await t.api('/experiments', { key: null, headers: { authorization: `Bearer ${token}x` }, body: { name: unique('bad-token') } });
    await t.api('/experiments', { key: `${t.keys.editor}x`, body: { name: unique('bad-key') } });
    await t.api('/experiments', { key: t.keys.editor, body: { name: unique('good-key') } });
    const text = readFileSync(auditPath, 'utf8') + stderr.join('\n');
    for (const secret of [token, t.keys.admin, t.keys.editor, t.keys.reader, t.keys.editor.split('.')[1]!, t.keys.admin.split('.')[1]!, USERS[0]!.password]) {
      expect(text).not.toContain(secret);
    }
    expect(text).toContain('"actor":"alice"');
  });
});

describe('example host: SQLite audit table', () => {
  it('chains entries in an append-only table', async () => {
    const path = join(tmpdir(), `${unique('audit')}.db`);
    const t2 = await startHost({ audit: { kind: 'sqlite', path } });
    try {
      await t2.api('/experiments', { body: { name: unique('sqlite-audit') } });
      await t2.api('/models/register', { body: { name: unique('m'), source: 'x' } });
      const entries = (await t2.api('/audit')).body.entries;
      expect(entries.map((e: { action: string; outcome: string }) => `${e.action} ${e.outcome}`)).toEqual([
        // The registry changes the request made land between its intent and outcome entries.
        'experiment.create intent',
        'experiment.create success',
        'model.register intent',
        'model.create success',
        'model.version.create success',
        'model.register success',
      ]);
    } finally {
      await t2.close();
    }
    const db = new Database(path);
    try {
      expect(() => db.prepare("UPDATE logbook_audit SET entry = '{}' WHERE seq = 1").run()).toThrow(/append-only/);
      expect(() => db.prepare('DELETE FROM logbook_audit').run()).toThrow(/append-only/);
      expect(await verifyAuditLog(new SqliteAuditSink({ db }))).toMatchObject({ ok: true, entries: 6, head: 'ok' });
      // Someone who drops the trigger to delete the last rows is found through the head row.
      db.exec('DROP TRIGGER logbook_audit_no_delete; DELETE FROM logbook_audit WHERE seq > 2;');
      expect(await verifyAuditLog(new SqliteAuditSink({ db }))).toMatchObject({ ok: false, entries: 2, firstBadSeq: 3, reason: expect.stringMatching(/head records 6 entries/) });
    } finally {
      db.close();
    }
  });
});
