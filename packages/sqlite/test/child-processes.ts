import { execFileSync, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const PACKAGE_DIR = fileURLToPath(new URL('..', import.meta.url));
const REPO_ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const SCRIPT = fileURLToPath(new URL('./fixtures/log-loop.mjs', import.meta.url));

/** Builds packages/sqlite (and core) so child processes run the current sources. */
export function buildPackage(): void {
  execFileSync(process.execPath, [`${REPO_ROOT}node_modules/typescript/bin/tsc`, '-b', PACKAGE_DIR], { stdio: 'pipe', cwd: REPO_ROOT });
}

/** A logging child: its process, the last batch it reported committed, and its exit. */
export interface Logger {
  readonly child: ChildProcess;
  /** Index of the last batch reported committed (-1 before the first). */
  lastBatch(): number;
  runId(): string | undefined;
  /** Resolves once `predicate` holds for the reported batch index. */
  waitForBatch(index: number): Promise<void>;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Spawns `node log-loop.mjs` (see the script for the arguments). */
export function startLogger(path: string, run: string, pointsPerBatch: number, batches: number | 'forever'): Logger {
  const child = spawn(process.execPath, [SCRIPT, path, run, String(pointsPerBatch), String(batches)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let last = -1;
  let id: string | undefined;
  let stderr = '';
  const waiters: { index: number; resolve: () => void }[] = [];
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  createInterface({ input: child.stdout! }).on('line', (line) => {
    const [runId, index] = line.split(' ');
    id = runId;
    last = Number(index);
    for (const w of waiters.splice(0)) last >= w.index ? w.resolve() : waiters.push(w);
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('exit', (code, signal) => {
      if (code !== 0 && signal === null) process.stderr.write(`[log-loop] exited ${code}: ${stderr}\n`);
      resolve({ code, signal });
    });
  });
  return {
    child,
    lastBatch: () => last,
    runId: () => id,
    waitForBatch: (index) =>
      new Promise<void>((resolve, reject) => {
        if (last >= index) return resolve();
        waiters.push({ index, resolve });
        void exited.then(() => reject(new Error(`logger exited before batch ${index}: ${stderr}`)));
      }),
    exited,
  };
}

const HOLD_LOCK_SCRIPT = fileURLToPath(new URL('./fixtures/hold-lock.mjs', import.meta.url));

/** Another process holding a database's write lock. */
export interface LockHolder {
  /** Commits and ends the child; resolves once the lock is free. */
  release(): Promise<void>;
  /** Ends the child at once (for `finally` blocks); idempotent. */
  kill(): void;
}

/** Spawns a process that takes the write lock of `path` (`BEGIN IMMEDIATE`); resolves once it holds it. */
export async function holdWriteLock(path: string): Promise<LockHolder> {
  const child = spawn(process.execPath, [HOLD_LOCK_SCRIPT, path], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const lines = createInterface({ input: child.stdout! });
  const next = (expected: string) =>
    new Promise<void>((resolve, reject) => {
      const onLine = (line: string) => {
        if (line !== expected) return;
        lines.off('line', onLine);
        resolve();
      };
      lines.on('line', onLine);
      child.once('exit', (code) => reject(new Error(`lock holder exited (${code}) before '${expected}': ${stderr}`)));
    });
  await next('locked');
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    async release() {
      const released = next('released');
      child.stdin!.write('release\n');
      await released;
      await exited;
    },
    kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  };
}
