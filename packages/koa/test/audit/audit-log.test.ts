import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AuditLog, GENESIS_HASH, JsonlAuditSink, verifyAuditLog } from '../../src/index.js';
import { input, tempFile } from './support.js';

describe('AuditLog', () => {
  describe('.record', () => {
    it('chains concurrent appends into one unbroken sequence', async () => {
      const path = tempFile();
      const log = new AuditLog(new JsonlAuditSink({ path }));
      const entries = await Promise.all(Array.from({ length: 50 }, (_, i) => log.record(input(i))));
      await log.close();
      expect(entries.map((e) => e.seq)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
      expect(entries[0]!.prevHash).toBe(GENESIS_HASH);
      expect(await verifyAuditLog(new JsonlAuditSink({ path }))).toMatchObject({ ok: true, entries: 50, head: 'ok' });
    });

    it('continues the chain of an existing file after a restart', async () => {
      const path = tempFile();
      const first = new AuditLog(new JsonlAuditSink({ path }));
      const last = await first.record(input(1));
      await first.close();
      const second = new AuditLog(new JsonlAuditSink({ path }));
      const next = await second.record(input(2));
      await second.close();
      expect(next).toMatchObject({ seq: 2, prevHash: last.hash });
      expect(await verifyAuditLog(new JsonlAuditSink({ path }))).toMatchObject({ ok: true, entries: 2, head: 'ok' });
    });
  });

  describe('.query', () => {
    it('filters by actor, action and outcome and pages by sequence number', async () => {
      const log = new AuditLog(new JsonlAuditSink({ path: tempFile() }));
      await log.record(input(1));
      await log.record({ ...input(2), actor: 'alice', outcome: 'denied', status: 403 });
      await log.record(input(3));
      expect((await log.query({ actor: 'alice', limit: 10 })).map((e) => e.seq)).toEqual([2]);
      expect((await log.query({ outcome: 'success', afterSeq: 1, limit: 10 })).map((e) => e.seq)).toEqual([3]);
      expect((await log.query({ limit: 2 })).map((e) => e.seq)).toEqual([1, 2]);
      await log.close();
    });
  });
});

describe('verifyAuditLog', () => {
  async function writeThree(): Promise<string[]> {
    const path = tempFile();
    const log = new AuditLog(new JsonlAuditSink({ path }));
    for (const i of [1, 2, 3]) await log.record(input(i));
    await log.close();
    return readFileSync(path, 'utf8').trim().split('\n');
  }
  const check = async (lines: string[]) => {
    const path = tempFile();
    writeFileSync(path, `${lines.join('\n')}\n`);
    return verifyAuditLog(new JsonlAuditSink({ path }));
  };

  it('detects an edited field even when the hash is recomputed without the chain', async () => {
    const lines = await writeThree();
    const edited = { ...JSON.parse(lines[2]!), outcome: 'denied' };
    expect(await check([lines[0]!, lines[1]!, JSON.stringify(edited)])).toMatchObject({ ok: false, firstBadSeq: 3, reason: expect.stringMatching(/hash/) });
  });

  it('detects deleted, reordered and truncated-then-appended entries', async () => {
    const [a, b, c] = await writeThree();
    expect(await check([a!, c!])).toMatchObject({ ok: false, firstBadSeq: 2 });
    expect(await check([b!, a!, c!])).toMatchObject({ ok: false, firstBadSeq: 1 });
    expect(await check([a!, b!, c!, '{"not json'])).toMatchObject({ ok: false, firstBadSeq: 4, reason: expect.stringMatching(/offset \d+/) });
    expect(await check([a!, '{"not json', b!, c!])).toMatchObject({ ok: false, firstBadSeq: 2, reason: expect.stringMatching(/no fence entry names/) });
  });

  it('accepts an empty log and an in-memory list', async () => {
    expect(await verifyAuditLog([])).toMatchObject({ ok: true, entries: 0 });
    const lines = await writeThree();
    expect(await verifyAuditLog(lines.map((l) => JSON.parse(l)))).toMatchObject({ ok: true, entries: 3 });
  });
});
