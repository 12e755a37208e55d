import { getDefaultLogbook } from '../container/default-logbook.js';
import { currentRunFrame } from './run-context.js';
import { fromSource } from './run-sink.js';
import type { LogbookLike, LogbookSource } from './run-sink.js';

/**
 * The logbook a decorated call uses: the one given to the decorator, else the one of the run the
 * call is nested in (a child run must live beside its parent), else the default logbook.
 */
export async function resolveLogbook(source: LogbookSource | undefined): Promise<LogbookLike> {
  if (source !== undefined) return fromSource(source);
  const inherited = currentRunFrame()?.logbook;
  if (inherited !== undefined) return inherited;
  return getDefaultLogbook();
}
