import { execFileSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JsonlAuditSink, verifyAuditLog } from '@logbook/koa';
import type { AuditEntry, AuditEvent } from '@logbook/koa';
import { startHost, unique } from './support.js';

const KEY = 'host-held-audit-key-of-at-least-32-bytes';

/** True when the file does not end in a newline: its last line was cut short. */
function tornTail(path: string): boolean {
  const text = readFileSync(path);
  return text.length > 0 && text[text.length - 1] !== 0x0a;
}

async function entriesOf(path: string): Promise<AuditEntry[]> {
  const all: AuditEntry[] = [];
  for await (const e of new JsonlAuditSink({ path }).entries()) all.push(e);
  return all;
}

/** Every experiment has a success entry naming it, which completes an intent entry of the same request. */
function expectEveryExperimentAudited(experiments: { id: string; name: string }[], entries: AuditEntry[]): void {
  for (const x of experiments) {
    const outcome = entries.find((e) => e.action === 'experiment.create' && e.target === `experiment:${x.id}` && e.outcome === 'success');
    expect(outcome, `experiment ${x.name} has no audit entry`).toBeDefined();
    const intent = entries.find((e) => e.seq === outcome!.intentSeq);
    expect(intent).toMatchObject({ outcome: 'intent', requestId: outcome!.requestId, action: 'experiment.create' });
  }
}

describe('example host: audit log faults', () => {
  it('comes up again on a torn audit file: the damage is fenced and reported, requests are served', async () => {
    const first = await startHost();
    const dbPath = join(first.folder, 'logbook.db');
    const auditPath = `${dbPath}.audit.jsonl`;
    expect((await first.api('/experiments', { body: { name: unique('before-crash') } })).status).toBe(201);
    await first.close();
    const half = '{"requestId":"cut-short","actor":"key:admin","act';
    appendFileSync(auditPath, half);

    const events: AuditEvent[] = [];
    const again = await startHost({ dbPath, onAuditEvent: (e) => events.push(e) });
    try {
      expect(events).toMatchObject([{ kind: 'fenced', damage: { bytes: half.length } }]);
      expect((await again.api('/experiments', { body: { name: unique('after-crash') } })).status).toBe(201);
      expect((await again.api('/audit?action=audit.fence')).body.entries).toHaveLength(1);
    } finally {
      await again.close();
    }
    expect(await verifyAuditLog(new JsonlAuditSink({ path: auditPath }))).toMatchObject({ ok: true, head: 'ok', fenced: [{ bytes: half.length }] });
  });

  it('keys the chain with the host key; a restart with another key is a typed start-up error', async () => {
    const auditPath = join(mkdtempSync(join(tmpdir(), 'audit-')), 'audit.jsonl');
    const keyed = await startHost({ audit: { kind: 'jsonl', path: auditPath, key: KEY } });
    await keyed.api('/experiments', { body: { name: unique('keyed') } });
    await keyed.close();
    expect(await verifyAuditLog(new JsonlAuditSink({ path: auditPath }), { key: KEY })).toMatchObject({ ok: true, keyed: true, entries: 2 });
    expect(await verifyAuditLog(new JsonlAuditSink({ path: auditPath }))).toMatchObject({ ok: false, firstBadSeq: 1 });
    await expect(startHost({ audit: { kind: 'jsonl', path: auditPath, key: `${KEY}-rotated` } })).rejects.toMatchObject({
      name: 'LogbookError',
      code: 'INVALID_CONFIGURATION',
      message: expect.stringMatching(/^\[koa\] The last audit entry \(seq 2\) does not verify/),
    });
  });

  describe('on a full disk (real ENOSPC on a 64 KiB tmpfs)', () => {
    const root = process.getuid?.() === 0;
    let mount: string;
    beforeAll(() => {
      if (!root) return;
      mount = mkdtempSync(join(tmpdir(), 'audit-tmpfs-'));
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', mount]);
    });
    afterAll(() => {
      if (!root) return;
      execFileSync('umount', [mount]);
      rmSync(mount, { recursive: true, force: true });
    });

    it.skipIf(!root)('refuses requests it cannot audit, creates nothing unaudited, and chains on once space returns (needs root to mount tmpfs)', async () => {
      const auditPath = join(mount, 'audit.jsonl');
      const events: AuditEvent[] = [];
      const t = await startHost({ audit: { kind: 'jsonl', path: auditPath }, onAuditEvent: (e) => events.push(e), onServerError: () => undefined });
      const prefix = unique('enospc');
      const answers: { name: string; requestId: string; status: number; retryAfter: string | null }[] = [];
      let experiments: { id: string; name: string }[];
      const create = async (i: number) => {
        const name = `${prefix}-${i}`;
        const requestId = `${prefix}-req-${i}`;
        const res = await t.api('/experiments', { body: { name }, headers: { 'x-request-id': requestId } });
        answers.push({ name, requestId, status: res.status, retryAfter: res.headers.get('retry-after') });
      };
      try {
        await create(0);
        const filler = join(mount, 'filler');
        const handle = await open(filler, 'w');
        try {
          for (;;) await handle.write(Buffer.alloc(4096, 1));
        } catch (error) {
          expect((error as { code?: unknown }).code).toBe('ENOSPC');
        } finally {
          await handle.close();
        }
        // The log's last page still has room for a line or two: go on until a line is cut short.
        for (let i = 1; i <= 40 && !tornTail(auditPath); i += 1) await create(i);
        expect(tornTail(auditPath)).toBe(true);
        await create(41);
        await create(42);
        writeFileSync(filler, '');
        for (let i = 43; i <= 45; i += 1) await create(i);
        const page = await t.host.logbook.stores.tracking.searchExperiments({ maxResults: 1000 });
        experiments = page.items.filter((x) => x.name.startsWith(prefix)).map((x) => ({ id: x.experimentId, name: x.name }));
      } finally {
        await t.close();
      }

      const refused = answers.filter((a) => a.status === 503);
      expect(refused.length).toBeGreaterThanOrEqual(3);
      expect(refused.every((a) => a.retryAfter !== null)).toBe(true);
      expect(answers.every((a) => a.status === 201 || a.status === 503)).toBe(true);
      expect(answers.slice(-3).map((a) => a.status)).toEqual([201, 201, 201]);

      const entries = await entriesOf(auditPath);
      // A refused request changed nothing; every acknowledged one had a durable intent entry.
      expect(experiments.map((x) => x.name).sort()).toEqual(
        answers
          .filter((a) => a.status === 201)
          .map((a) => a.name)
          .sort(),
      );
      for (const a of answers.filter((x) => x.status === 201)) {
        expect(entries.some((e) => e.requestId === a.requestId && e.outcome === 'intent')).toBe(true);
      }
      expectEveryExperimentAudited(experiments, entries);
      const result = await verifyAuditLog(new JsonlAuditSink({ path: auditPath }));
      expect(result).toMatchObject({ ok: true, head: 'ok' });
      expect(result.fenced).toHaveLength(1);
      expect(events.filter((e) => e.kind === 'fenced')).toHaveLength(1);
      expect(events.filter((e) => e.kind === 'outcome-lost')).toEqual([]);
    });
  });
});
