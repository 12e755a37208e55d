import { ERROR_HANDLER } from '../../src/index.js';
import type { ErrorHandler } from '../../src/index.js';
import type { LogbookLike } from '../../src/decorators/run-sink.js';
import { MemorySink, MemoryStore } from './memory-tracking.js';
import type { ReadableStore } from './memory-tracking.js';

/** A logbook for one test, the store behind it, and what reached its error handler. */
export interface DecoratorFixture {
  readonly logbook: LogbookLike;
  readonly store: ReadableStore;
  readonly errors: { readonly error: unknown; readonly context: { readonly operation: string; readonly runId?: string } }[];
  /** Everything the backend holds, as text (to prove a value was never stored). */
  dump(): Promise<string>;
  close(): Promise<void>;
}

export async function openFixture(options: { readonly autoLogging?: boolean } = {}): Promise<DecoratorFixture> {
  const errors: DecoratorFixture['errors'] = [];
  const onError: ErrorHandler = (error, context) => { errors.push({ error, context }); };
  const store = new MemoryStore();
  const logbook: LogbookLike = {
    tracker: new MemorySink(store, onError),
    config: { experimentAutoLogging: options.autoLogging ?? true },
    container: {
      isRegistered: (token) => token === ERROR_HANDLER,
      resolve: <T>() => onError as T,
    },
  };
  return {
    logbook,
    store,
    errors,
    dump: async () => JSON.stringify({ experiments: store.experiments, runs: [...store.runs.values()] }),
    close: async () => {},
  };
}
