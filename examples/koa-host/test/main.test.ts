import { execFileSync, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { JsonlAuditSink, verifyAuditLog } from '@logbook/koa';

const repo = resolve(import.meta.dirname, '../../..');
const main = join(repo, 'examples/koa-host/dist/main.js');

interface Started {
  readonly child: ChildProcess;
  readonly stdout: () => string;
  readonly stderr: () => string;
  /** Resolves with the first match of `pattern` on stdout; rejects when the process exits first. */
  waitFor(pattern: RegExp): Promise<RegExpMatchArray>;
  readonly exited: Promise<number | null>;
}

function start(dbPath: string, env: Record<string, string> = {}): Started {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('LOGBOOK_') && !k.startsWith('MLFLOW_')));
  const child = spawn(process.execPath, [main], { env: { ...clean, PORT: '0', LOGBOOK_DB: dbPath, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.setEncoding('utf8').on('data', (c: string) => {
    out += c;
  });
  child.stderr!.setEncoding('utf8').on('data', (c: string) => {
    err += c;
  });
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  return {
    child,
    exited,
    stdout: () => out,
    stderr: () => err,
    waitFor(pattern) {
      return new Promise((resolveMatch, reject) => {
        const check = () => {
          const match = pattern.exec(out);
          if (match !== null) {
            child.stdout!.off('data', check);
            resolveMatch(match);
          }
        };
        child.stdout!.on('data', check);
        void exited.then((code) => reject(new Error(`exited with ${code} before ${pattern}: ${err}`)));
        check();
      });
    },
  };
}

// The host as an operator runs it: built, started as its own process.
describe('examples/koa-host main', () => {
  let folder: string;
  const running: Started[] = [];

  beforeAll(() => {
    execFileSync(process.execPath, [join(repo, 'node_modules/typescript/bin/tsc'), '-b', 'examples/koa-host'], { cwd: repo, stdio: 'pipe' });
    folder = mkdtempSync(join(tmpdir(), 'koa-host-main-'));
  }, 180_000);
  afterEach(async () => {
    for (const s of running.splice(0)) {
      if (s.child.exitCode === null) {
        s.child.kill('SIGTERM');
        await s.exited;
      }
    }
  });
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it('starts on an audit file with a torn last line: fences it, reports it, and keeps serving', async () => {
    const dbPath = join(folder, 'torn.db');
    writeFileSync(`${dbPath}.audit.jsonl`, '{"requestId":"cut-short","actor":"key:admin","act');
    const host = start(dbPath);
    running.push(host);
    const [, url] = await host.waitFor(/example host on (http:\/\/\S+);/);
    const [, key] = await host.waitFor(/admin API key \(shown once\): (\S+)\n/);
    const res = await fetch(`${url}/mlflow/experiments`, { method: 'POST', headers: { 'x-api-key': key!, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'after-restart' }) });
    expect(res.status).toBe(201);
    expect(host.child.exitCode).toBeNull();
    expect(host.stderr()).toMatch(/\[koa\] audit log: 49 damaged bytes at offset 0 \(sha256 [0-9a-f]{64}\) fenced by entry 1/);
    host.child.kill('SIGTERM');
    await host.exited;
    expect(await verifyAuditLog(new JsonlAuditSink({ path: `${dbPath}.audit.jsonl` }))).toMatchObject({ ok: true, entries: 3, fenced: [{ offset: 0, bytes: 49 }] });
  }, 60_000);

  it('does not start on an audit log its key does not fit: one clear line, exit 1', async () => {
    const dbPath = join(folder, 'keyed.db');
    const first = start(dbPath, { LOGBOOK_AUDIT_KEY: 'the-first-key-of-thirty-two-bytes-or-more' });
    running.push(first);
    const [, url] = await first.waitFor(/example host on (http:\/\/\S+);/);
    const [, key] = await first.waitFor(/admin API key \(shown once\): (\S+)\n/);
    await fetch(`${url}/mlflow/experiments`, { method: 'POST', headers: { 'x-api-key': key!, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'keyed' }) });
    first.child.kill('SIGTERM');
    await first.exited;

    const second = start(dbPath, { LOGBOOK_AUDIT_KEY: 'another-key-of-thirty-two-bytes-or-more!' });
    running.push(second);
    expect(await second.exited).toBe(1);
    expect(second.stdout()).not.toMatch(/example host on/);
    expect(second.stderr()).toMatch(/^example host cannot start: \[koa\] The last audit entry \(seq 2\) does not verify with the configured key.* \(INVALID_CONFIGURATION\)\n$/);
  }, 60_000);
});
