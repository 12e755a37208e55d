import './require-reflect-metadata.js';
import { memberLabel } from './member-label.js';
import { LogbookError } from '../errors.js';
import type { Tags } from '../model/common.js';
import { validateExperimentName, validateRunName } from '../validation/entities.js';
import { captureConstructorParams, hasConstructorParams } from './param.js';
import { runTracked } from './tracked-call.js';
import type { LogbookSource } from './run-sink.js';

/** Options of {@link Track}. On a class they are defaults for its `@Track()` methods. */
export interface TrackOptions {
  /** The experiment's name (`a/b/c` for a hierarchy); created on first use when missing. */
  readonly experiment?: string;
  /** The run's name. @default a random `adjective-noun-<n>` name given by the store, as MLflow does */
  readonly runName?: string;
  /** Tags of each run; a method's tags are added to its class's. */
  readonly tags?: Tags;
  /**
   * The logbook to log to, or a function returning it (called per call, not at decoration time).
   * @default the logbook of the enclosing run when nested, else `getDefaultLogbook()`
   */
  readonly logbook?: LogbookSource;
}

/**
 * `@Track` as TypeScript sees it: on a class, or on a method that returns a Promise (a tracked
 * call awaits the creation of its run, so it is always asynchronous).
 */
export interface TrackDecorator {
  <C extends abstract new (...args: any[]) => object>(target: C): C | void;
  <F extends (...args: any[]) => Promise<unknown>>(target: object, key: string | symbol, descriptor: TypedPropertyDescriptor<F>): TypedPropertyDescriptor<F>;
}

const CLASS_OPTIONS = Symbol('logbook:track-class');

/**
 * Runs each call of a method inside its own run.
 *
 * - **On a method** (which must return a Promise): every call creates a run in the experiment
 *   (created if missing), logs the instance's `@Param`s, runs the method with that run as
 *   {@link currentRunId}, then ends the run FINISHED when the method resolves, or FAILED with tag
 *   `logbook.error` = the error's message when it throws or rejects; the error is re-thrown
 *   unchanged. Metrics and params logged inside are flushed before the run ends. A tracked call made
 *   while another run is in force (even in another tracked object) is a child run of it
 *   (`mlflow.parentRunId`) and, unless given its own logbook, goes to the parent's logbook; a call
 *   given another logbook than its parent's starts a top-level run there. Concurrent calls each
 *   get their own run. With `experimentAutoLogging: false` in the logbook's config, runs are still
 *   created and ended, but `@Param`s and `@LogMetric`s are not logged.
 * - **On a class**: records defaults (experiment, run name, tags, logbook) for its `@Track()`
 *   methods, a method's own options winning; it tracks nothing by itself. It is also what captures
 *   `@Param` constructor arguments (it then returns a subclass of the same name; with tsyringe,
 *   write `@injectable()` above `@Track(...)`).
 *
 * Decoration only records options (and validates the experiment and run names: a bad one throws
 * INVALID_PARAMETER_VALUE at once); no logbook is opened until the first call.
 *
 * @example
 * ```ts
 * @Track({ experiment: 'segmentation/unet', tags: { team: 'vision' } })
 * class Trainer {
 *   @Param() lr = 1e-3;
 *   @Track({ runName: 'fit' }) async fit(epochs: number): Promise<void> {
 *     for (let e = 0; e < epochs; e++) this.epoch(e);
 *   }
 *   @LogMetric('loss', { step: 'arg:0' }) epoch(e: number): number { ... }
 * }
 * ```
 */
export function Track(options: TrackOptions = {}): TrackDecorator {
  // Configuration fails fast, at decoration (no I/O involved).
  if (options.experiment !== undefined) validateExperimentName(options.experiment, 'experiment');
  if (options.runName !== undefined) validateRunName(options.runName);
  function decorate(target: Function | object, key?: string | symbol, descriptor?: PropertyDescriptor): unknown {
    if (key === undefined) {
      const ctor = target as abstract new (...args: any[]) => object;
      Reflect.defineMetadata(CLASS_OPTIONS, options, ctor);
      return hasConstructorParams(ctor) ? captureConstructorParams(ctor) : undefined;
    }
    const original: unknown = descriptor?.value;
    if (descriptor === undefined || typeof original !== 'function') {
      throw new LogbookError('INVALID_CONFIGURATION', `[core] @Track() on ${String(key)}: only methods and classes can be tracked.`);
    }
    const label = memberLabel(target, key);
    descriptor.value = function tracked(this: object | undefined, ...args: unknown[]): Promise<unknown> {
      const self = this ?? target; // a detached call: fall back to the class's prototype
      const defaults = classOptions(self);
      const experiment = options.experiment ?? defaults?.experiment;
      if (experiment === undefined) {
        return Promise.reject(
          new LogbookError('INVALID_CONFIGURATION', `[core] @Track() on ${label} has no experiment: pass { experiment } to @Track on the method or on its class.`, { field: 'experiment' }),
        );
      }
      const runName = options.runName ?? defaults?.runName;
      const logbook = options.logbook ?? defaults?.logbook;
      return runTracked(
        self,
        {
          experiment,
          ...(runName === undefined ? {} : { runName }),
          tags: { ...defaults?.tags, ...options.tags },
          ...(logbook === undefined ? {} : { logbook }),
        },
        () => original.apply(this, args) as unknown,
      );
    };
    return descriptor;
  }
  return decorate as TrackDecorator;
}

/** Class-level options of the instance's class (or of the class itself, for static methods). */
function classOptions(self: object): TrackOptions | undefined {
  const ctor = typeof self === 'function' ? self : (self as { constructor?: unknown }).constructor;
  return typeof ctor === 'function' ? (Reflect.getMetadata(CLASS_OPTIONS, ctor) as TrackOptions | undefined) : undefined;
}
