import { mkdtemp, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogbook } from '@logbook/core';
import { JsonlAuditSink, verifyAuditLog } from '@logbook/koa';
import type { AuditEntry } from '@logbook/koa';
import { cliConfig, openLogbook } from '../src/open-logbook.js';

const KEY = 'cli-audit-key-'.padEnd(40, 'x');
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'logbook-cli-audit-'));
  const lb = await createLogbook({ trackingUri: join(dir, 'logbook.db'), logging: { drainOnExit: false } });
  await lb.close();
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('openLogbook with LOGBOOK_AUDIT_LOG', () => {
  it('records the registry changes of a writing command in the keyed chain, as source cli; a reading command opens no log', async () => {
    const env = { LOGBOOK_AUDIT_LOG: 'audit/registry.jsonl', LOGBOOK_AUDIT_KEY: KEY };
    const io = { stdout: () => undefined, stderr: () => undefined, env, cwd: dir };
    const config = await cliConfig(join(dir, 'logbook.db'), io);

    const reader = await openLogbook(config, { ...io, cwd: dir }, 'read');
    await reader.close();
    const path = join(dir, 'audit/registry.jsonl');
    expect(existsSync(path)).toBe(false);

    const writer = await openLogbook(config, io, 'write');
    await writer.registry.registerModel('s3://b/w', 'cli-model');
    await writer.registry.transitionModelStage('cli-model', '1', 'Archived');
    await writer.close();

    const entries: AuditEntry[] = [];
    for await (const e of new JsonlAuditSink({ path }).entries()) entries.push(e);
    expect(entries.map((e) => [e.action, e.detail?.source])).toEqual([
      ['model.create', 'cli'],
      ['model.version.create', 'cli'],
      ['model.version.transition', 'cli'],
    ]);
    expect(entries[2]).toMatchObject({ before: { stage: 'None' }, after: { stage: 'Archived' } });
    expect(entries[0]!.actor).not.toBe('');
    expect(await verifyAuditLog(new JsonlAuditSink({ path }), { key: KEY })).toMatchObject({ ok: true, keyed: true, entries: 3 });
  });

  it('refuses to start a writing command on a log written with another key', async () => {
    const io = { stdout: () => undefined, stderr: () => undefined, env: { LOGBOOK_AUDIT_LOG: 'audit/registry.jsonl', LOGBOOK_AUDIT_KEY: 'another-key-'.padEnd(40, 'y') }, cwd: dir };
    await expect(openLogbook(await cliConfig(join(dir, 'logbook.db'), io), io, 'write')).rejects.toMatchObject({ code: 'INVALID_CONFIGURATION' });
  });
});
