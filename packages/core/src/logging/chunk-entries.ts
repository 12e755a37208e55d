import { LIMITS } from '../validation/limits.js';
import type { Entry } from './entries.js';

/**
 * Splits a run's entries, in order, into log-batch requests that respect MLflow's limits
 * (1000 metrics, 100 params, 100 tags, 1000 in all) and `maxSize` entries. A param logged twice
 * in one chunk with the same value is sent once; with another value it starts a new chunk, so the
 * store rejects only that write (params are write-once) instead of the whole request.
 */
export function chunkEntries(entries: readonly Entry[], maxSize: number): Entry[][] {
  const limit = Math.min(maxSize, LIMITS.maxBatchTotal);
  const chunks: Entry[][] = [];
  let chunk: Entry[] = [];
  let metrics = 0;
  let params = new Map<string, string>();
  let tags = 0;
  const close = (): void => {
    if (chunk.length > 0) chunks.push(chunk);
    chunk = [];
    metrics = 0;
    tags = 0;
    params = new Map();
  };
  for (const entry of entries) {
    if (entry.kind === 'param') {
      const previous = params.get(entry.key);
      if (previous === entry.value) continue;
      if (previous !== undefined || params.size >= LIMITS.maxBatchParams) close();
    } else if (entry.kind === 'tag' && tags >= LIMITS.maxBatchTags) close();
    else if (entry.kind === 'metric' && metrics >= LIMITS.maxBatchMetrics) close();
    if (chunk.length >= limit) close();
    chunk.push(entry);
    if (entry.kind === 'metric') metrics++;
    else if (entry.kind === 'tag') tags++;
    else params.set(entry.key, entry.value);
  }
  close();
  return chunks;
}
