import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AuditLog, GENESIS_HASH, JsonlAuditSink, entryHash, verifyAuditLog } from '../../src/index.js';
import type { AuditEntry, AuditKey } from '../../src/index.js';
import { KEY, input, tempFile } from './support.js';

async function writeLog(n: number, key?: AuditKey): Promise<{ path: string; lines: string[]; log: AuditLog }> {
  const path = tempFile();
  const log = await AuditLog.open(new JsonlAuditSink({ path }), key === undefined ? {} : { key });
  for (let i = 1; i <= n; i += 1) await log.record(input(i));
  return { path, lines: readFileSync(path, 'utf8').trim().split('\n'), log };
}

/** What someone who can write the file does: drop entries and recompute seq and chain. */
function dropAndRechain(lines: string[], drop: number, key?: AuditKey): string[] {
  let prev = GENESIS_HASH;
  return lines
    .filter((_, i) => i + 1 !== drop)
    .map((line, i) => {
      const { hash: _old, ...rest } = JSON.parse(line) as AuditEntry;
      const unsigned = { ...rest, seq: i + 1, prevHash: prev };
      prev = entryHash(unsigned, key);
      return JSON.stringify({ ...unsigned, hash: prev });
    });
}

const rewrite = (path: string, lines: string[]) => writeFileSync(path, `${lines.join('\n')}\n`);

describe('verifyAuditLog', () => {
  describe('head record', () => {
    it('finds entries cut off the end of a JSON-lines log (the chain alone cannot)', async () => {
      const { path, lines, log } = await writeLog(5);
      await log.close();
      rewrite(path, lines.slice(0, 3));
      expect(await verifyAuditLog(lines.slice(0, 3).map((l) => JSON.parse(l)))).toMatchObject({ ok: true });
      expect(await verifyAuditLog(new JsonlAuditSink({ path }))).toMatchObject({
        ok: false,
        entries: 3,
        firstBadSeq: 4,
        head: 'bad',
        reason: expect.stringMatching(/head record: the log ends at seq 3, but its head records 5 entries/),
      });
    });

    it('makes AuditLog.open refuse a cut log with a typed DATA_LOSS error instead of overwriting the evidence', async () => {
      const { path, lines, log } = await writeLog(4);
      await log.close();
      rewrite(path, lines.slice(0, 2));
      await expect(AuditLog.open(new JsonlAuditSink({ path }))).rejects.toMatchObject({
        name: 'LogbookError',
        code: 'DATA_LOSS',
        message: expect.stringMatching(/^\[koa\] The audit log does not match its head record/),
      });
      const head = JSON.parse(readFileSync(`${path}.head`, 'utf8')) as { seq: number };
      expect(head.seq).toBe(4);
    });

    it('is exported by AuditLog.head(); an anchor kept elsewhere finds a log and head cut back together', async () => {
      const { path, lines, log } = await writeLog(5);
      const anchor = await log.head();
      await log.close();
      expect(anchor).toMatchObject({ seq: 5, hash: JSON.parse(lines[4]!).hash });
      // Cut the log to 3 entries and rewrite the head to match: the sink alone now looks fine.
      rewrite(path, lines.slice(0, 3));
      writeFileSync(`${path}.head`, JSON.stringify({ seq: 3, hash: JSON.parse(lines[2]!).hash, time: new Date().toISOString() }));
      expect(await verifyAuditLog(new JsonlAuditSink({ path }))).toMatchObject({ ok: true, entries: 3 });
      expect(await verifyAuditLog(new JsonlAuditSink({ path }), { anchors: [anchor] })).toMatchObject({
        ok: false,
        reason: expect.stringMatching(/anchor at seq 5: .*cut off the end/),
      });
    });
  });

  describe('keyed chain (HMAC-SHA256)', () => {
    it('finds entries dropped with the chain recomputed, which an unkeyed chain cannot', async () => {
      const plain = await writeLog(5);
      await plain.log.close();
      const forged = dropAndRechain(plain.lines, 3);
      expect(await verifyAuditLog(forged.map((l) => JSON.parse(l)))).toMatchObject({ ok: true, entries: 4 });

      const keyed = await writeLog(5, KEY);
      await keyed.log.close();
      expect(await verifyAuditLog(new JsonlAuditSink({ path: keyed.path }), { key: KEY })).toMatchObject({ ok: true, keyed: true, entries: 5, head: 'ok' });
      for (const guess of [undefined, `${KEY}-guessed`]) {
        const forgedKeyed = dropAndRechain(keyed.lines, 3, guess);
        expect(
          await verifyAuditLog(
            forgedKeyed.map((l) => JSON.parse(l)),
            { key: KEY },
          ),
        ).toMatchObject({ ok: false, firstBadSeq: 1, reason: expect.stringMatching(/hash does not match the entry content and the key/) });
      }
    });

    it('signs the head: a head rewritten without the key is found, and so is a missing one', async () => {
      const { path, lines, log } = await writeLog(4, KEY);
      await log.close();
      rewrite(path, lines.slice(0, 2));
      writeFileSync(`${path}.head`, JSON.stringify({ seq: 2, hash: JSON.parse(lines[1]!).hash, time: new Date().toISOString() }));
      expect(await verifyAuditLog(new JsonlAuditSink({ path }), { key: KEY })).toMatchObject({ ok: false, head: 'bad', reason: expect.stringMatching(/not signed with this key/) });
      rmSync(`${path}.head`);
      expect(await verifyAuditLog(new JsonlAuditSink({ path }), { key: KEY })).toMatchObject({ ok: false, head: 'missing' });
    });

    it('refuses a key shorter than 32 bytes, naming the option', () => {
      expect(() => new AuditLog(new JsonlAuditSink({ path: tempFile() }), { key: 'short' })).toThrow(expect.objectContaining({ code: 'INVALID_CONFIGURATION', field: 'key' }));
    });
  });
});
