import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { dirname } from 'node:path';
import { createInterface } from 'node:readline';

/** A running fixtures/trainer.ts child: its output lines and a way to talk to it. */
export interface TrainerChild {
  readonly process: ChildProcess;
  readonly lines: string[];
  /** Resolves with the first line (already seen or coming) that `match` accepts. */
  line(match: (line: string) => boolean): Promise<string>;
  send(line: string): void;
  readonly exited: Promise<{ readonly code: number | null; readonly signal: NodeJS.Signals | null; readonly stderr: string }>;
}

/** Starts `node <script> <mode> <experiment>` in the script's folder with `env` added to the environment. */
export function startTrainer(script: string, mode: string, experiment: string, env: Record<string, string>): TrainerChild {
  const child = spawn(process.execPath, [script, mode, experiment], {
    cwd: dirname(script),
    env: { ...process.env, ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const waiters: { match: (line: string) => boolean; resolve: (line: string) => void }[] = [];
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  createInterface({ input: child.stdout! }).on('line', (line) => {
    lines.push(line);
    for (const w of [...waiters]) {
      if (w.match(line)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(line);
      }
    }
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve) => {
    child.on('exit', (code, signal) => resolve({ code, signal, stderr }));
  });
  return {
    process: child,
    lines,
    line: (match) => {
      const seen = lines.find(match);
      if (seen !== undefined) return Promise.resolve(seen);
      return new Promise<string>((resolve, reject) => {
        waiters.push({ match, resolve });
        void exited.then(({ code, signal, stderr: err }) =>
          reject(new Error(`trainer exited (${code ?? signal}) before the expected line; stderr: ${err.slice(-2000)}\nstdout tail: ${lines.slice(-5).join('\n')}`)),
        );
      });
    },
    send: (line) => {
      child.stdin!.write(`${line}\n`);
    },
    exited,
  };
}

/** The JSON after the first space of a line such as `epoch 12 {...}` (after the second token). */
export function jsonOf<T>(line: string, skip = 1): T {
  const parts = line.split(' ');
  return JSON.parse(parts.slice(skip).join(' ')) as T;
}
