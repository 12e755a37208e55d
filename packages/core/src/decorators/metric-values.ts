import { LogbookError } from '../errors.js';

/**
 * The metrics in a `@LogMetric` method's result: a number is one metric `name`; an object gives
 * one metric per numeric key (`<prefix>.<key>`, or `<key>` without a prefix). Anything else, and
 * every non-numeric key, is a problem for the error handler (booleans included: MLflow metrics are
 * doubles).
 */
export function metricsOf(name: string, prefix: string | undefined, label: string, value: unknown): { readonly metrics: Record<string, number>; readonly problems: readonly LogbookError[] } {
  if (typeof value === 'number') return { metrics: { [name]: value }, problems: NONE };
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { metrics: {}, problems: [notNumeric(label, name, value)] };
  }
  const metrics: Record<string, number> = {};
  const problems: LogbookError[] = [];
  for (const [key, v] of Object.entries(value)) {
    const metric = prefix === undefined ? key : `${prefix}.${key}`;
    if (typeof v === 'number') metrics[metric] = v;
    else problems.push(notNumeric(label, metric, v));
  }
  return { metrics, problems };
}

const NONE: LogbookError[] = [];

function notNumeric(label: string, metric: string, value: unknown): LogbookError {
  const kind = value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`;
  return new LogbookError('INVALID_PARAMETER_VALUE', `[core] @LogMetric() ${label} returned ${kind} for metric '${metric}'; metrics must be numbers (or an object of numbers), so it was not logged.`, {
    field: metric,
  });
}
