// A real `logbook serve` process for the serve tests: started on a free port (`--port 0`), its URL
// read from the --json line it prints once it listens.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
/** Root of the repository. */
export const root = resolve(here, '../..');
/** The pinned venv's Python (the `mlflow` client). */
export const python = join(root, '.cache/venv/bin/python');
/** The built CLI. */
export const bin = join(root, 'packages/cli/dist/bin.js');

/** A running `logbook serve`. */
export interface ServeProcess {
  readonly child: ChildProcess;
  readonly url: string;
  readonly exited: Promise<number | null>;
  /** What it printed so far, stdout then stderr. */
  output(): string;
}

/** Starts `logbook serve` on `<dir>/logbook.db` with `extra` flags and `env` added to this process's. */
export async function startServe(dir: string, extra: readonly string[] = [], env: NodeJS.ProcessEnv = {}): Promise<ServeProcess> {
  const child = spawn(process.execPath, [bin, '--json', '--tracking-uri', join(dir, 'logbook.db'), 'serve', '--port', '0', ...extra], {
    cwd: dir,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  const url = await new Promise<string>((resolveUrl, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      stdout += d.toString();
      const match = /"url":"(http:\/\/[^"]+)"/.exec(stdout);
      if (match !== null) resolveUrl(match[1]!);
    });
    void exited.then((code) => reject(new Error(`logbook serve exited ${code} before listening:\n${stdout}\n${stderr}`)));
  });
  return { child, url, exited, output: () => `${stdout}\n${stderr}` };
}

/** Environment for the Python client: no retries, no warnings, no telemetry thread. */
export const PYTHON_ENV = { MLFLOW_HTTP_REQUEST_MAX_RETRIES: '0', PYTHONWARNINGS: 'ignore', MLFLOW_DISABLE_TELEMETRY: 'true' } as const;
