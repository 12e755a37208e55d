import { LogbookError } from '../errors.js';
import { validateKey } from '../validation/keys.js';
import type { KeyKind } from '../validation/keys.js';
import { validateRunId } from '../validation/entities.js';
import { checkStringValue, validateMetricValue, validateStep, validateTimestamp } from '../validation/values.js';
import type { Entry } from './entries.js';

/** Entries that passed validation, and one error per entry that did not. */
export interface ValidatedEntries {
  entries: Entry[];
  errors: LogbookError[];
}

/** Keys and run ids remembered as valid, at most this many each (then forgotten and relearnt). */
const CACHE_LIMIT = 10_000;

function asLogbookError(error: unknown): LogbookError {
  return error instanceof LogbookError ? error : new LogbookError('INVALID_PARAMETER_VALUE', `[core] ${String(error)}`);
}

/**
 * Validates points at the call, as MLflow's server would. A training loop logs the same few keys
 * to the same run thousands of times, so keys and run ids that passed are remembered: the hot
 * path then checks only the value, step and timestamp.
 */
export class EntryValidator {
  private readonly validKeys: Record<KeyKind, Set<string>> = { metric: new Set(), param: new Set(), tag: new Set() };
  private readonly validRuns = new Set<string>();

  /** Validates one metric point; returns the entry, or the error naming the field. */
  metric(runId: string, key: string, value: number, step: number, timestamp: number): Entry | LogbookError {
    try {
      this.runId(runId);
      if (!Number.isSafeInteger(step)) validateStep(step, 'step');
      if (!Number.isSafeInteger(timestamp) || timestamp < 0) validateTimestamp(timestamp, 'timestamp');
      this.key('metric', key, 'metrics');
      if (typeof value !== 'number') validateMetricValue(key, value, `metrics.${key}`);
      return { kind: 'metric', metric: { key, value, timestamp, step } };
    } catch (error) {
      return asLogbookError(error);
    }
  }

  /** Validates metrics sharing a step and timestamp. */
  metrics(runId: string, metrics: Readonly<Record<string, number>>, step: number, timestamp: number): ValidatedEntries {
    const out: ValidatedEntries = { entries: [], errors: [] };
    for (const key of Object.keys(metrics)) {
      const result = this.metric(runId, key, metrics[key]!, step, timestamp);
      if (result instanceof LogbookError) {
        out.errors.push(result);
        // A bad run id, step or timestamp fails every point the same way: report it once.
        if (result.field === 'runId' || result.field === 'step' || result.field === 'timestamp') return out;
      } else out.entries.push(result);
    }
    return out;
  }

  /** Validates params or tags; long values are truncated as MLflow's server does. */
  strings(runId: string, kind: 'param' | 'tag', values: Readonly<Record<string, string>>): ValidatedEntries {
    const out: ValidatedEntries = { entries: [], errors: [] };
    try {
      this.runId(runId);
    } catch (error) {
      out.errors.push(asLogbookError(error));
      return out;
    }
    for (const key of Object.keys(values)) {
      try {
        this.key(kind, key, `${kind}s`);
        out.entries.push({ kind, key, value: checkStringValue(kind, key, values[key], 'truncate', `${kind}s.${key}`) });
      } catch (error) {
        out.errors.push(asLogbookError(error));
      }
    }
    return out;
  }

  private runId(runId: string): void {
    if (this.validRuns.has(runId)) return;
    validateRunId(runId);
    remember(this.validRuns, runId);
  }

  /** @param section the field's prefix (`metrics`), joined with the key only when reporting. */
  private key(kind: KeyKind, key: string, section: string): void {
    const known = this.validKeys[kind];
    if (known.has(key)) return;
    validateKey(kind, key, `${section}.${key}`);
    remember(known, key);
  }
}

function remember(set: Set<string>, value: string): void {
  if (set.size >= CACHE_LIMIT) set.clear();
  set.add(value);
}
