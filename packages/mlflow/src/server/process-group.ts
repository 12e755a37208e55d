import type { ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

/** Sends a signal to the child's whole process group (uvicorn forks workers). */
export function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // The group is gone already.
  }
}

/** True while any process of the group started by `pid` is alive. */
export function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

// Not unref'd: a caller awaits it, and a script whose last work is `await server.stop()` must not
// exit (code 13, unsettled top-level await) between two polls.
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * SIGTERM to the group, then SIGKILL to whatever is left after `timeoutMs`. Resolves once no
 * process of the group remains (workers included, not only the leader).
 */
export async function stopGroup(child: ChildProcess, timeoutMs: number): Promise<void> {
  const pid = child.pid;
  if (pid === undefined) return;
  signalGroup(child, 'SIGTERM');
  const deadline = Date.now() + timeoutMs;
  while (groupAlive(pid) && Date.now() < deadline) await sleep(100);
  if (groupAlive(pid)) {
    signalGroup(child, 'SIGKILL');
    while (groupAlive(pid)) await sleep(50);
  }
}

/** A TCP port free on `host` right now. */
export function freePort(host: string): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

/** Group leaders alive in this process, killed if Node exits without stopping them. */
const live = new Set<number>();
let hooked = false;

/** Makes sure the group dies with this process (tests that crash must not leave servers). */
export function killOnExit(pid: number): () => void {
  live.add(pid);
  if (!hooked) {
    hooked = true;
    process.once('exit', () => {
      for (const p of live) {
        try {
          process.kill(-p, 'SIGKILL');
        } catch {
          // already gone
        }
      }
    });
  }
  return () => live.delete(pid);
}
