// The spool's unit tests without any server: the "MLflow server" is core's MemoryBackend behind a
// switch that fails every call (tracking, registry, artifacts) as an unreachable server does; the
// spool is a real SQLite file; the drainer is the real sync engine.
import { join } from 'node:path';
import { expect } from 'vitest';
import { DEFAULT_CONFIG, LogbookError, MemoryBackend, silentLogger, syncLogbook } from '../../../packages/core/src/index.js';
import type { LogbookConfig } from '../../../packages/core/src/index.js';
import type { Backend, RegistryStore, TrackingStore } from '../../../packages/core/src/spi.js';
import { Spool } from '../../../packages/core/src/spool/spool.js';
import type { LocalSpool } from '../../../packages/core/src/spool/spool.js';
import { createSqliteBackend } from '../../../packages/sqlite/src/index.js';

/** The switch: `down` fails every call; `calls` counts them; `puts` lists artifact paths the server took. */
export interface ServerState {
  down: boolean;
  calls: number;
  puts: string[];
  /** When set, every call fails with it (a server that answers with an error). */
  answer?: Error | undefined;
}

/** `target` whose calls fail with an ECONNREFUSED-like error while `state.down`. */
function switched<T extends object>(target: T, state: ServerState): T {
  return new Proxy(target, {
    get(t, property) {
      const value: unknown = Reflect.get(t, property, t);
      if (typeof value !== 'function') return value;
      if (property === 'close') return value.bind(t);
      return async (...args: unknown[]) => {
        state.calls++;
        if (state.down) {
          throw new LogbookError('TEMPORARILY_UNAVAILABLE', '[test] Could not reach the server', { cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) });
        }
        if (state.answer !== undefined) throw state.answer;
        if (property === 'put') state.puts.push(String(args[1]));
        return (value as (...a: unknown[]) => unknown).apply(t, args);
      };
    },
  });
}

/** The server: a MemoryBackend (read it directly through `memory`) behind the switch. */
export function memoryServer() {
  const memory = new MemoryBackend();
  const state: ServerState = { down: false, calls: 0, puts: [] };
  const backend: Backend = {
    tracking: switched(memory.store as TrackingStore, state),
    registry: switched(memory.store as RegistryStore, state),
    artifacts: switched(memory.artifacts, state),
    close: () => memory.close(),
  };
  return { memory, state, backend };
}

/** A spool in `dir` in front of `primary`, with fast probes and drains; errors go to `errors`. */
export function unitSpool(dir: string, primary: Backend, errors: unknown[]): Spool {
  const path = join(dir, 'spool.db');
  return new Spool({
    primary,
    // Core's settings are all the SQLite backend reads (the `http` section typed here is @logbook/mlflow's).
    openLocal: async () => (await createSqliteBackend({ ...DEFAULT_CONFIG, trackingUri: `sqlite:${path}` } as LogbookConfig)) as LocalSpool,
    exists: false,
    targetId: 'memory:server',
    path,
    sync: (source, target) => syncLogbook(source, target),
    logger: silentLogger,
    onError: (error) => errors.push(error),
    probeIntervalMs: 20,
    maxProbeIntervalMs: 50,
    drainDelayMs: 10,
  });
}

/** Polls `check` (every 20 ms, up to 10 s) and asserts it came true. */
export async function until(check: () => boolean | Promise<boolean>): Promise<void> {
  for (let i = 0; i < 500 && !(await check()); i++) await new Promise((resolve) => setTimeout(resolve, 20));
  expect(await check()).toBe(true);
}
