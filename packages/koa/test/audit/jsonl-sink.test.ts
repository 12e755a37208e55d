import { createHash } from 'node:crypto';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isLogbookError } from '@logbook/core';
import { AuditLog, FENCE_ACTION, JsonlAuditSink, verifyAuditLog } from '../../src/index.js';
import type { AuditEvent } from '../../src/index.js';
import { FullDiskSink, input, tempFile } from './support.js';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

async function writeEntries(path: string, n: number): Promise<void> {
  const log = await AuditLog.open(new JsonlAuditSink({ path }));
  for (let i = 1; i <= n; i += 1) await log.record(input(i));
  await log.close();
}

describe('JsonlAuditSink', () => {
  describe('torn tail', () => {
    it('is fenced on restart: no crash, never written onto, the chain continues, verify names the damage', async () => {
      const path = tempFile();
      await writeEntries(path, 3);
      const offset = statSync(path).size;
      const half = '{"requestId":"req-4","actor":"key:ci","act';
      appendFileSync(path, half);
      expect(await verifyAuditLog(new JsonlAuditSink({ path }))).toMatchObject({
        ok: false,
        entries: 3,
        firstBadSeq: 4,
        tornTail: { offset, bytes: half.length },
        reason: expect.stringMatching(new RegExp(`offset ${offset}.*not fenced`)),
      });

      const events: AuditEvent[] = [];
      const log = await AuditLog.open(new JsonlAuditSink({ path }), { onEvent: (e) => events.push(e) });
      const next = await log.record(input(5));
      await log.close();

      const damage = { offset, bytes: half.length, sha256: sha256(half) };
      expect(events).toEqual([{ kind: 'fenced', damage, seq: 4 }]);
      const lines = readFileSync(path, 'utf8').split('\n');
      expect(lines[3]).toBe(half);
      expect(JSON.parse(lines[4]!)).toMatchObject({ seq: 4, action: FENCE_ACTION, detail: damage });
      expect(next.seq).toBe(5);
      expect(await verifyAuditLog(new JsonlAuditSink({ path }))).toEqual({ ok: true, entries: 5, keyed: false, fenced: [{ ...damage, seq: 4 }], head: 'ok' });
    });

    it('left by a failed append is fenced by the next one in the same process', async () => {
      const path = tempFile();
      const sink = new FullDiskSink(path);
      const log = await AuditLog.open(sink, { onEvent: () => undefined });
      await log.record(input(1));
      sink.failWhen = () => true;
      const failed = await log.record(input(2)).catch((e: unknown) => e);
      expect(isLogbookError(failed, 'TEMPORARILY_UNAVAILABLE')).toBe(true);
      expect((failed as Error).message).toMatch(/^\[koa\] Audit entry 2 could not be written \(ENOSPC\)/);
      sink.failWhen = () => false;
      const after = await log.record(input(3));
      await log.close();
      expect(after.seq).toBe(3);
      const result = await verifyAuditLog(new JsonlAuditSink({ path }));
      expect(result).toMatchObject({ ok: true, entries: 3, head: 'ok', fenced: [{ seq: 2, bytes: sink.tornBytes }] });
    });

    it('written onto by an older version (half a line with the next entry on it) still opens, serves queries and chains on; verify names it', async () => {
      const path = tempFile();
      await writeEntries(path, 4);
      const [l1, l2, l3, l4] = readFileSync(path, 'utf8').trim().split('\n');
      const half = l3!.slice(0, 30);
      writeFileSync(path, `${l1}\n${l2}\n${half}${l3}\n${l4}\n`);
      rmSync(`${path}.head`);
      const log = await AuditLog.open(new JsonlAuditSink({ path }));
      expect((await log.record(input(5))).seq).toBe(5);
      expect((await log.query({ limit: 10 })).map((e) => e.seq)).toEqual([1, 2, 4, 5]);
      await log.close();
      expect(await verifyAuditLog(new JsonlAuditSink({ path }))).toMatchObject({
        ok: false,
        entries: 2,
        firstBadSeq: 3,
        reason: `[koa] Unreadable audit data at byte offset ${l1!.length + l2!.length + 2} (${half.length + l3!.length} bytes) that no fence entry names, before seq 4.`,
      });
    });

    it('never leaves an unhandled rejection when the log cannot be read; record() rejects with a typed error', async () => {
      const folder = mkdtempSync(join(tmpdir(), 'audit-'));
      // A directory where the file should be: every read fails with EISDIR.
      const log = new AuditLog(new JsonlAuditSink({ path: folder }));
      const error = await log.record(input(1)).catch((e: unknown) => e);
      expect(isLogbookError(error, 'TEMPORARILY_UNAVAILABLE')).toBe(true);
      await expect(AuditLog.open(new JsonlAuditSink({ path: folder }))).rejects.toMatchObject({ name: 'LogbookError', code: 'TEMPORARILY_UNAVAILABLE' });
      await log.close();
    });
  });
  // A real ENOSPC (a 64 KiB tmpfs) is tested through the example host: examples/koa-host/test/audit-faults.test.ts.
});
