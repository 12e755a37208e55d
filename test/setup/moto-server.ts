// Starts moto's S3-compatible server (the version pinned in scripts/python-requirements.txt, from
// the cached virtualenv) on a free loopback port. Used by the s3/e2e global setup, by tests that
// need a dedicated server (auth enforcement) and by bench/artifacts.ts.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (this file is test/setup/moto-server.ts). */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Path of moto's server entry point in the project virtualenv. */
export const motoBinary = join(repoRoot, '.cache', 'venv', 'bin', 'moto_server');

/** A running moto server. */
export interface MotoServer {
  /** `http://127.0.0.1:<port>` */
  readonly endpoint: string;
  readonly pid: number;
  stop(): Promise<void>;
}

/** A port that was free a moment ago (the OS picks it). */
export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address !== null ? resolvePort(address.port) : reject(new Error('no port'))));
    });
  });
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise((done) => {
    if (child.exitCode !== null || child.signalCode !== null) done();
    else child.once('exit', () => done());
  });
}

/**
 * Starts `moto_server` and resolves once it answers HTTP. `env` is added to the server's
 * environment (e.g. `INITIAL_NO_AUTH_ACTION_COUNT: '0'` to make moto check credentials).
 */
export async function startMotoServer(options: { env?: Record<string, string>; timeoutMs?: number } = {}): Promise<MotoServer> {
  if (!existsSync(motoBinary)) {
    throw new Error('[s3] moto is not installed (.cache/venv/bin/moto_server is missing): run `bash scripts/setup-python.sh`.');
  }
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const child = spawn(motoBinary, ['-H', '127.0.0.1', '-p', String(port)], {
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited(child);
    clearTimeout(timer);
  };
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`[s3] moto_server exited with code ${child.exitCode}: ${stderr}`);
    try {
      const response = await fetch(`${endpoint}/moto-api/`, { signal: AbortSignal.timeout(2000) });
      if (response.ok) return { endpoint, pid: child.pid as number, stop };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  await stop();
  throw new Error(`[s3] moto_server did not answer on ${endpoint} within ${options.timeoutMs ?? 60_000} ms: ${stderr}`);
}
