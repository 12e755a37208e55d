// `logbook serve` with an audit log configured: the registry changes an MLflow client makes land in
// the hash-chained log by the authenticated user, and the log verifies after a graceful stop.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JsonlAuditSink, verifyAuditLog } from '../../packages/koa/src/index.js';
import { startServe } from './serve-process.js';

describe('logbook serve with LOGBOOK_AUDIT_LOG', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'logbook-serve-audit-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('records what an MLflow client changes in the registry, by the authenticated user, in a keyed chain that verifies', async () => {
    const key = 'k'.repeat(32);
    const serve = await startServe(dir, ['--basic-auth', 'ada:pw🔭'], { LOGBOOK_AUDIT_LOG: 'audit.jsonl', LOGBOOK_AUDIT_KEY: key });
    const authorization = `Basic ${Buffer.from('ada:pw🔭', 'utf8').toString('base64')}`;
    const post = async (path: string, body: unknown) => {
      const res = await fetch(`${serve.url}/api/2.0/mlflow${path}`, { method: 'POST', headers: { authorization, 'content-type': 'application/json' }, body: JSON.stringify(body) });
      expect(res.status, await res.clone().text()).toBe(200);
    };
    try {
      await post('/registered-models/create', { name: 'det 🔭' });
      await post('/registered-models/set-tag', { name: 'det 🔭', key: 'team', value: 'survey' });
      // A read records nothing.
      expect((await fetch(`${serve.url}/api/2.0/mlflow/registered-models/get?name=${encodeURIComponent('det 🔭')}`, { headers: { authorization } })).status).toBe(200);
    } finally {
      serve.child.kill('SIGTERM');
      expect(await serve.exited).toBe(0);
    }
    const entries = (await readFile(join(dir, 'audit.jsonl'), 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { action: string; actor: string; target: string });
    expect(entries.map((e) => [e.action, e.actor, e.target])).toEqual([
      ['model.create', 'ada', 'model:det 🔭'],
      ['model.tag.set', 'ada', 'model:det 🔭'],
    ]);
    expect(await verifyAuditLog(new JsonlAuditSink({ path: join(dir, 'audit.jsonl') }), { key })).toMatchObject({ ok: true, entries: 2 });
  });
});
