import type { LogBatch } from '../model/run.js';
import { LIMITS } from '../validation/limits.js';
import { toBatch } from './entries.js';
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

/**
 * Splits one log-batch request of any size into requests within MLflow's limits, with
 * `chunkEntries` (the one chunker of Logbook). Entries are fed in the order MLflow's Python
 * client sends them (`MlflowClient._log_batch`): params and tags 100 at a time, each group topped
 * up with metrics to 1000 entries, then the remaining metrics; order within each kind is kept, so
 * tags stay last-wins.
 * @param maxSize entries per request. @default 1000
 */
export function chunkLogBatch(batch: LogBatch, maxSize: number = LIMITS.maxBatchTotal): LogBatch[] {
  const params = batch.params ?? [];
  const tags = batch.tags ?? [];
  const metrics = batch.metrics ?? [];
  const entries: Entry[] = [];
  let m = 0;
  for (let i = 0; i < Math.max(params.length, tags.length); i += LIMITS.maxBatchParams) {
    const p = params.slice(i, i + LIMITS.maxBatchParams);
    const t = tags.slice(i, i + LIMITS.maxBatchTags);
    for (const { key, value } of p) entries.push({ kind: 'param', key, value });
    for (const { key, value } of t) entries.push({ kind: 'tag', key, value });
    const room = Math.max(0, Math.min(maxSize - p.length - t.length, LIMITS.maxBatchMetrics));
    for (const metric of metrics.slice(m, m + room)) entries.push({ kind: 'metric', metric });
    m += room;
  }
  for (const metric of metrics.slice(m)) entries.push({ kind: 'metric', metric });
  return chunkEntries(entries, maxSize).map(toBatch);
}
