import { LogbookError } from '../errors.js';
import { validateKey } from '../validation/keys.js';
import { validateRunId } from '../validation/entities.js';
import { checkStringValue, validateMetricValue, validateStep, validateTimestamp } from '../validation/values.js';
import type { Entry } from './entries.js';

/** Entries that passed validation, and one error per entry that did not. */
export interface ValidatedEntries {
  entries: Entry[];
  errors: LogbookError[];
}

function attempt(errors: LogbookError[], check: () => void): boolean {
  try {
    check();
    return true;
  } catch (error) {
    errors.push(error instanceof LogbookError ? error : new LogbookError('INVALID_PARAMETER_VALUE', `[core] ${String(error)}`));
    return false;
  }
}

/** Validates metric points at the call, as MLflow's server would; bad ones become errors. */
export function metricEntries(runId: string, metrics: Readonly<Record<string, number>>, step: number, timestamp: number): ValidatedEntries {
  const errors: LogbookError[] = [];
  if (!attempt(errors, () => validateRunId(runId))) return { entries: [], errors };
  if (!attempt(errors, () => { validateStep(step, 'step'); validateTimestamp(timestamp, 'timestamp'); })) return { entries: [], errors };
  const entries: Entry[] = [];
  for (const [key, value] of Object.entries(metrics)) {
    const ok = attempt(errors, () => {
      validateKey('metric', key, `metrics.${key}`);
      validateMetricValue(key, value, `metrics.${key}`);
    });
    if (ok) entries.push({ kind: 'metric', metric: { key, value, timestamp, step } });
  }
  return { entries, errors };
}

/** Validates params or tags at the call; long values are truncated as MLflow's server does. */
export function stringEntries(runId: string, kind: 'param' | 'tag', values: Readonly<Record<string, string>>): ValidatedEntries {
  const errors: LogbookError[] = [];
  if (!attempt(errors, () => validateRunId(runId))) return { entries: [], errors };
  const entries: Entry[] = [];
  for (const [key, raw] of Object.entries(values)) {
    let value = '';
    const ok = attempt(errors, () => {
      validateKey(kind, key, `${kind}s.${key}`);
      value = checkStringValue(kind, key, raw, 'truncate', `${kind}s.${key}`);
    });
    if (ok) entries.push({ kind, key, value });
  }
  return { entries, errors };
}
