import { LogbookError } from '../errors.js';

/** Where a `@LogMetric` point's step comes from. */
export type StepSource = 'auto' | `arg:${number}` | `prop:${string}`;

/** A parsed {@link StepSource}. @internal */
export type ParsedStep = { readonly kind: 'auto' } | { readonly kind: 'arg'; readonly index: number } | { readonly kind: 'prop'; readonly name: string };

/** Parses a step source at decoration time; a malformed one is a configuration error. @internal */
export function parseStepSource(source: string): ParsedStep {
  if (source === 'auto') return { kind: 'auto' };
  const arg = /^arg:(\d+)$/.exec(source);
  if (arg !== null) return { kind: 'arg', index: Number(arg[1]) };
  const prop = /^prop:(.+)$/.exec(source);
  if (prop !== null) return { kind: 'prop', name: prop[1] as string };
  throw new LogbookError('INVALID_CONFIGURATION', `[core] @LogMetric() step ${JSON.stringify(source)} is not one of 'auto', 'arg:<index>', 'prop:<name>'.`, { field: 'step' });
}

// Auto steps count per instance, per decorated method and per run, so each run starts at 0.
const counters = new WeakMap<object, Map<string, number>>();

/**
 * The step of one point: the argument, the instance's property (read now), or the next auto step.
 * A step that is not an integer is an error for the handler, and the point is not logged. @internal
 */
export function resolveStep(source: ParsedStep, self: object, args: readonly unknown[], label: string, runId: string): { readonly step?: number; readonly error?: LogbookError } {
  if (source.kind === 'auto') {
    const perInstance = counters.get(self) ?? new Map<string, number>();
    counters.set(self, perInstance);
    const key = `${runId}\u0000${label}`;
    const step = perInstance.get(key) ?? 0;
    perInstance.set(key, step + 1);
    return { step };
  }
  const value = source.kind === 'arg' ? args[source.index] : (self as Record<string, unknown>)[source.name];
  if (typeof value === 'number' && Number.isSafeInteger(value)) return { step: value };
  const where = source.kind === 'arg' ? `argument ${source.index}` : `property '${source.name}'`;
  return {
    error: new LogbookError(
      'INVALID_PARAMETER_VALUE',
      `[core] @LogMetric() ${label} takes its step from ${where}, which is ${JSON.stringify(value) ?? String(value)}; a step must be an integer, so the point was not logged.`,
      { field: 'step' },
    ),
  };
}
