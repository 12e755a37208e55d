import type { Tags } from '../model/common.js';
import type { LogBatch, Metric } from '../model/run.js';
import { LIMITS } from './limits.js';
import { invalid } from './fail.js';
import { validateKey } from './keys.js';
import { validateRunTag } from './entities.js';
import { checkStringValue, validateMetricValue, validateStep, validateTimestamp } from './values.js';
import type { LongValuePolicy } from './values.js';

/** A param or tag: key and value. */
export type KeyValue = { readonly key: string; readonly value: string };

/** A batch after validation: every field present, long values handled by the policy. */
export interface ValidatedBatch {
  readonly metrics: readonly Metric[];
  readonly params: readonly KeyValue[];
  readonly tags: readonly KeyValue[];
}

/** Checks MLflow's per-request limits: 1000 metrics, 100 params, 100 tags, 1000 entries in all. */
export function validateBatchSize(batch: LogBatch): void {
  const metrics = batch.metrics?.length ?? 0;
  const params = batch.params?.length ?? 0;
  const tags = batch.tags?.length ?? 0;
  const tooMany = (what: string, limit: number, got: number): never =>
    invalid(what, `A batch logging request can contain at most ${limit} ${what}. Got ${got} ${what}. Please split up ${what} across multiple requests and try again.`);
  if (metrics > LIMITS.maxBatchMetrics) tooMany('metrics', LIMITS.maxBatchMetrics, metrics);
  if (params > LIMITS.maxBatchParams) tooMany('params', LIMITS.maxBatchParams, params);
  if (tags > LIMITS.maxBatchTags) tooMany('tags', LIMITS.maxBatchTags, tags);
  const total = metrics + params + tags;
  if (total > LIMITS.maxBatchTotal) {
    invalid('batch', `A batch logging request can contain at most ${LIMITS.maxBatchTotal} metrics, params and tags in all. Got ${total}.`);
  }
}

/**
 * Validates one log-batch request as MLflow's server does, and returns it normalized.
 * A param key given twice in one batch is rejected, even with the same value (MLflow's
 * `_validate_param_keys_unique`); across batches the same value again is a no-op.
 */
export function validateLogBatch(batch: LogBatch, policy: LongValuePolicy): ValidatedBatch {
  validateBatchSize(batch);
  const metrics = validateMetrics(batch.metrics ?? []);
  const seen = new Set<string>();
  const params = (batch.params ?? []).map((p, i) => {
    validateKey('param', p.key, `params[${i}].key`);
    const value = checkStringValue('param', p.key, p.value, policy, `params[${i}].value`);
    if (seen.has(p.key)) {
      invalid(`params[${i}].key`, `Duplicate parameter keys have been submitted: '${p.key}'. Please ensure the request contains only one param value per param key.`);
    }
    seen.add(p.key);
    return { key: p.key, value };
  });
  const tags = (batch.tags ?? []).map((t, i) => {
    validateKey('tag', t.key, `tags[${i}].key`);
    validateRunTag(t.key, t.value, `tags[${i}].value`);
    return { key: t.key, value: checkStringValue('tag', t.key, t.value, policy, `tags[${i}].value`) };
  });
  return { metrics, params, tags };
}

/**
 * Validates run tags given when a run starts, by the rule of log-batch tags: keys as MLflow's,
 * values at most 8000 characters (code points) handled by `policy`, no lone surrogates, and
 * `mlflow.runName` within the run-name limit. (MLflow's `runs/create` does not truncate: a longer
 * tag fails the whole request.)
 * @returns the tags to store.
 */
export function validateRunTags(tags: Tags, policy: LongValuePolicy, field = 'tags'): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of Object.keys(tags)) {
    validateKey('tag', key, `${field}.${key}`);
    validateRunTag(key, tags[key], `${field}.${key}`);
    out[key] = checkStringValue('tag', key, tags[key], policy, `${field}.${key}`);
  }
  return out;
}

/** Validates one metric point; `step` defaults to 0. */
export function validateMetric(metric: Metric, field = 'metric'): Metric {
  validateKey('metric', metric.key, `${field}.key`);
  validateMetricValue(metric.key, metric.value, `${field}.value`);
  validateTimestamp(metric.timestamp, `${field}.timestamp`);
  const step = metric.step ?? 0;
  validateStep(step, `${field}.step`);
  return { key: metric.key, value: metric.value, timestamp: metric.timestamp, step };
}

/**
 * Validates a request's metric points as {@link validateMetric} does, cheaply: each distinct key
 * once, and the full validator (with its error message naming `metrics[i]`) only for a point that
 * fails the fast checks. The one metric validation every store uses on a point's way in.
 * @returns the points with `step` defaulted to 0.
 */
export function validateMetrics(metrics: readonly Metric[], field = 'metrics'): Metric[] {
  const keys = new Set<string>();
  return metrics.map((m, i) => {
    const step = m.step ?? 0;
    const fast = typeof m.value === 'number' && Number.isSafeInteger(m.timestamp) && m.timestamp >= 0 && Number.isSafeInteger(step) && keys.has(m.key);
    if (!fast) {
      const valid = validateMetric(m, `${field}[${i}]`);
      keys.add(m.key);
      return valid;
    }
    return step === m.step ? m : { key: m.key, value: m.value, timestamp: m.timestamp, step };
  });
}
