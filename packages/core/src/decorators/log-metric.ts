import './require-reflect-metadata.js';
import { memberLabel } from './member-label.js';
import { LogbookError } from '../errors.js';
import { currentRunFrame } from './run-context.js';
import type { RunFrame } from './run-context.js';
import { metricsOf } from './metric-values.js';
import { resolveStep, parseStepSource } from './metric-step.js';
import type { StepSource } from './metric-step.js';
import { resolveLogbook } from './resolve-logbook.js';
import { autoLogging, reportTo } from './run-sink.js';
import type { LogbookLike } from './run-sink.js';

/** Options of {@link LogMetric}. */
export interface LogMetricOptions {
  /**
   * Where each point's step comes from: `'arg:<i>'` the i-th argument of the call, `'prop:<name>'`
   * a property of the instance when the value is logged, `'auto'` a counter per instance, metric
   * and run (0, 1, 2, …). The step must be an integer. @default none: the store's default, 0
   */
  readonly step?: StepSource;
}

/**
 * Logs what a method returns as metrics of the current run (see {@link currentRunId}): a number
 * is one metric named `name` (default: the method's name); an object of numbers is one metric per
 * key, named `<name>.<key>`, or just `<key>` without a name. For a method returning a Promise, the
 * resolved value is logged and a rejection passes through untouched. The method's own return value
 * and timing are unchanged: a sync method stays sync.
 *
 * Never throws into the caller: a call outside any run, a value that is not a number, or a bad
 * step goes to the logbook's error handler (each distinct problem once per decorated method), and
 * the point is not logged. Outside any run that handler is the default logbook's
 * (`getDefaultLogbook()`); when there is none, a `LogbookWarning` process warning.
 *
 * @example
 * ```ts
 * @LogMetric('val', { step: 'prop:epoch' })
 * evaluate(): { loss: number; acc: number } { ... }   // logs val.loss and val.acc at step this.epoch
 * ```
 */
export function LogMetric(name?: string, options: LogMetricOptions = {}): MethodDecorator {
  const step = options.step === undefined ? undefined : parseStepSource(options.step);
  return (target, key, descriptor) => {
    const original: unknown = descriptor?.value;
    if (descriptor === undefined || typeof original !== 'function') {
      throw new LogbookError('INVALID_CONFIGURATION', `[core] @LogMetric() on ${String(key)}: only methods can log metrics.`);
    }
    const label = memberLabel(target, key);
    const metric = { name: name ?? String(key), prefix: name, label, step, reported: new Set<string>() };
    const wrapped = function logged(this: object | undefined, ...args: unknown[]): unknown {
      const frame = currentRunFrame();
      const result: unknown = original.apply(this, args);
      const self = this ?? metric;
      if (isThenable(result)) {
        return result.then((value) => {
          record(metric, self, args, frame, value);
          return value;
        });
      }
      record(metric, self, args, frame, result);
      return result;
    };
    (descriptor as PropertyDescriptor).value = wrapped;
    return descriptor;
  };
}

/** One decorated method's settings, plus the problems already reported for it. */
interface MetricSite {
  readonly name: string;
  readonly prefix: string | undefined;
  readonly label: string;
  readonly step: ReturnType<typeof parseStepSource> | undefined;
  readonly reported: Set<string>;
}

function record(site: MetricSite, self: object, args: readonly unknown[], frame: RunFrame | undefined, value: unknown): void {
  if (frame === undefined) {
    // Marked now, not when the report is delivered: a loop outside any run costs one Set lookup per call.
    if (site.reported.has(OUTSIDE_RUN)) return;
    site.reported.add(OUTSIDE_RUN);
    const error = new LogbookError('INVALID_STATE', `[core] @LogMetric() ${site.label} was called outside a run, so its value was not logged: call it from a @Track'ed method or inside withRun().`);
    const context = { operation: 'decorators.logMetric' };
    resolveLogbook(undefined).then(
      (lb) => reportTo(lb, error, context),
      () => reportTo(undefined, error, context),
    );
    return;
  }
  const { runId, logbook } = frame;
  try {
    // Everything is read now, at the call; only the write waits when the logbook is not known yet.
    const { metrics, problems } = metricsOf(site.name, site.prefix, site.label, value);
    const step = site.step === undefined ? NO_STEP : resolveStep(site.step, self, args, site.label, runId);
    if (logbook !== undefined) {
      write(site, logbook, runId, metrics, problems, step);
      return;
    }
    // A run entered with withRun() and no logbook: log through the default one, timestamped now.
    const timestamp = Date.now();
    resolveLogbook(undefined).then(
      (lb) => write(site, lb, runId, metrics, problems, step, timestamp),
      (error: unknown) => reportTo(undefined, error, { operation: 'decorators.logMetric', runId }),
    );
  } catch (error) {
    reportTo(logbook, error, { operation: 'decorators.logMetric', runId });
  }
}

const OUTSIDE_RUN = 'outside-run';
const NO_STEP: { readonly step?: number; readonly error?: LogbookError } = {};

function write(
  site: MetricSite,
  logbook: LogbookLike,
  runId: string,
  metrics: Record<string, number>,
  problems: readonly LogbookError[],
  step: { readonly step?: number; readonly error?: LogbookError },
  timestamp?: number,
): void {
  for (const p of problems) reportOnce(site, logbook, p, runId);
  if (step.error !== undefined) return reportOnce(site, logbook, step.error, runId);
  if (!autoLogging(logbook) || Object.keys(metrics).length === 0) return;
  logbook.tracker.logMetrics(metrics, step.step, runId, timestamp);
}

/** Reports each kind of problem once per decorated method: a training loop must not flood the handler. */
function reportOnce(site: MetricSite, logbook: LogbookLike | undefined, error: LogbookError, runId: string | undefined): void {
  const key = `${error.code}:${error.field ?? ''}`; // not the message: it may quote each bad value
  if (site.reported.has(key)) return;
  site.reported.add(key);
  reportTo(logbook, error, { operation: 'decorators.logMetric', ...(runId === undefined ? {} : { runId }) });
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}
