import { LogbookError } from '../errors.js';
import type { SyncOptions, SyncReport, SyncSource, SyncTarget } from './types.js';

/**
 * Moves everything changed since the target's acknowledged cursor; exactly-once effect.
 */
export async function syncLogbook(source: SyncSource, target: SyncTarget, options: SyncOptions = {}): Promise<SyncReport> {
  void source; void target; void options;
  throw new LogbookError('INTERNAL_ERROR', '[core] syncLogbook is not implemented yet');
}
