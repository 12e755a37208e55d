import { createLogbook } from './create-logbook.js';
import type { Logbook } from './logbook.js';

// On globalThis so that every copy of @logbook/core in a process shares one default.
const KEY = Symbol.for('logbook.defaultLogbook');

interface DefaultSlot {
  value?: Logbook;
  pending?: Promise<Logbook>;
}

function slot(): DefaultSlot {
  const holder = globalThis as unknown as Record<symbol, DefaultSlot | undefined>;
  return (holder[KEY] ??= {});
}

/**
 * The process-wide logbook the decorators use when given none: the one set with
 * {@link setDefaultLogbook}, else `createLogbook()` from environment and config file, created
 * once. A failed creation is not cached, so the next call tries again.
 */
export function getDefaultLogbook(): Promise<Logbook> {
  const s = slot();
  if (s.value !== undefined) return Promise.resolve(s.value);
  if (s.pending === undefined) {
    const pending = createLogbook().then(
      (logbook) => {
        if (s.pending === pending) {
          s.value = logbook;
          s.pending = undefined;
        }
        return logbook;
      },
      (error: unknown) => {
        if (s.pending === pending) s.pending = undefined;
        throw error;
      },
    );
    s.pending = pending;
  }
  return s.pending;
}

/** Sets (or with `undefined`, clears) the default logbook. Does not close the previous one. */
export function setDefaultLogbook(logbook: Logbook | undefined): void {
  const s = slot();
  s.pending = undefined;
  if (logbook === undefined) delete s.value;
  else s.value = logbook;
}
