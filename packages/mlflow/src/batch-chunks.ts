import { LIMITS } from '@logbook/core';
import type { LogBatch, Metric } from '@logbook/core';

type KeyValue = { readonly key: string; readonly value: string };

/** One log-batch request's worth, within MLflow's limits. */
export interface BatchChunk {
  readonly metrics: readonly Metric[];
  readonly params: readonly KeyValue[];
  readonly tags: readonly KeyValue[];
}

function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * Splits a batch as MLflow's Python client does (`MlflowClient._log_batch`): params and tags in
 * chunks of 100, each request topped up with metrics to 1000 entries, then the remaining metrics
 * 1000 at a time. Order within each kind is kept, so tags stay last-wins.
 */
export function chunkBatch(batch: LogBatch): BatchChunk[] {
  const params = chunk(batch.params ?? [], LIMITS.maxBatchParams);
  const tags = chunk(batch.tags ?? [], LIMITS.maxBatchTags);
  let metrics = batch.metrics ?? [];
  const out: BatchChunk[] = [];
  for (let i = 0; i < Math.max(params.length, tags.length); i++) {
    const p = params[i] ?? [];
    const t = tags[i] ?? [];
    const room = Math.max(0, Math.min(LIMITS.maxBatchTotal - p.length - t.length, LIMITS.maxBatchMetrics));
    out.push({ params: p, tags: t, metrics: metrics.slice(0, room) });
    metrics = metrics.slice(room);
  }
  for (const m of chunk(metrics, LIMITS.maxBatchMetrics)) out.push({ params: [], tags: [], metrics: m });
  return out;
}
