import './require-reflect-metadata.js';
import { LogbookError } from '../errors.js';
import { flattenParam } from './param-values.js';

/** Options of {@link Param}. */
export interface ParamOptions {
  /** The param name (the prefix of an object's keys). @default the property name */
  readonly name?: string;
  /** Store `[redacted:<8 hex of sha256>]` instead of the value. @default false */
  readonly redact?: boolean;
}

interface PropertyParam {
  readonly property: string | symbol;
  readonly name: string;
  readonly redact: boolean;
}

interface ConstructorParam {
  readonly index: number;
  readonly name?: string;
  readonly redact: boolean;
}

const PROPERTY_PARAMS = Symbol('logbook:param-properties');
const CONSTRUCTOR_PARAMS = Symbol('logbook:param-constructor');

/**
 * Logs a property, or a constructor argument, as run params of every `@Track`'ed call on the
 * instance. Decoration only records metadata: values are read from the instance when a run starts.
 *
 * - On a property: its value at run start; an object is flattened (`optimizer.lr`), an array is
 *   JSON, `undefined` is left out.
 * - On a constructor parameter: the argument given to `new`, which only a class decorated with
 *   `@Track` can capture (the class decorator wraps the constructor). Without a name, an object
 *   argument's keys become top-level params; a primitive argument needs a name.
 * - `redact: true` stores `[redacted:<first 8 hex of sha256>]` for every leaf value, never the value.
 *
 * @example
 * ```ts
 * @Track({ experiment: 'churn' })
 * class Trainer {
 *   @Param() epochs = 10;
 *   @Param({ redact: true }) apiKey = process.env.KEY;
 *   constructor(@Param() readonly config: { optimizer: { lr: number } }) {}
 *   @Track() async train(): Promise<void> { ... }   // logs epochs, apiKey (redacted), optimizer.lr
 * }
 * ```
 */
export function Param(nameOrOptions?: string | ParamOptions): (target: object, key: string | symbol | undefined, index?: number) => void {
  const options: ParamOptions = typeof nameOrOptions === 'string' ? { name: nameOrOptions } : (nameOrOptions ?? {});
  const redact = options.redact === true;
  return (target, key, index) => {
    if (typeof index === 'number') {
      if (key !== undefined) {
        throw configError(`@Param() on parameter ${index} of method ${String(key)}: only constructor parameters and properties can be params.`);
      }
      const spec: ConstructorParam = options.name === undefined ? { index, redact } : { index, name: options.name, redact };
      appendOwn(CONSTRUCTOR_PARAMS, target, spec);
      return;
    }
    if (key === undefined || typeof target === 'function') {
      throw configError(`@Param() on static member ${String(key)}: only instance properties and constructor parameters can be params.`);
    }
    appendOwn<PropertyParam>(PROPERTY_PARAMS, target, { property: key, name: options.name ?? String(key), redact });
  };
}

/** True when the class declares `@Param` constructor parameters of its own. @internal */
export function hasConstructorParams(target: Function): boolean {
  return Reflect.hasOwnMetadata(CONSTRUCTOR_PARAMS, target);
}

interface Captured {
  readonly owner: Function;
  readonly specs: readonly ConstructorParam[];
  readonly args: readonly unknown[];
}

const capturedArgs = new WeakMap<object, Captured[]>();

/**
 * Wraps a class so the arguments of its `@Param` constructor parameters are kept with each
 * instance. Returns a subclass with the same name and the class's own metadata (`design:*`,
 * tsyringe's tokens), so a DI decorator applied after it (written above it) still works.
 * Checks at decoration time that unnamed constructor params are objects (from `design:paramtypes`).
 * @internal
 */
export function captureConstructorParams<C extends abstract new (...args: any[]) => object>(target: C): C {
  const specs = Reflect.getOwnMetadata(CONSTRUCTOR_PARAMS, target) as ConstructorParam[];
  const types = Reflect.getOwnMetadata('design:paramtypes', target) as unknown[] | undefined;
  for (const spec of specs) {
    const type = types?.[spec.index];
    if (spec.name === undefined && (type === String || type === Number || type === Boolean || type === BigInt)) {
      throw configError(`@Param() on constructor parameter ${spec.index} of ${target.name}: a ${String((type as Function).name).toLowerCase()} argument needs a name, e.g. @Param('batchSize').`);
    }
  }
  abstract class Capturing extends target {
    constructor(...args: any[]) {
      super(...args);
      const list = capturedArgs.get(this) ?? [];
      list.push({ owner: target, specs, args });
      capturedArgs.set(this, list);
    }
  }
  Object.defineProperty(Capturing, 'name', { value: target.name });
  // Own metadata too, for readers that do not walk the prototype chain (tsyringe reads its
  // `@inject` tokens with getOwnMetadata): `@injectable()` above `@Track` then sees them.
  for (const key of Reflect.getOwnMetadataKeys(target)) {
    if (key !== CONSTRUCTOR_PARAMS) Reflect.defineMetadata(key, Reflect.getOwnMetadata(key, target), Capturing);
  }
  return Capturing as unknown as C;
}

/** The params of an instance, read now; plus problems that kept some from being read. @internal */
export function readParams(instance: object): { readonly params: Record<string, string>; readonly problems: LogbookError[] } {
  const params: Record<string, string> = {};
  const problems: LogbookError[] = [];
  const out = { params, rejected: problems };
  const captured = capturedArgs.get(instance) ?? [];
  for (const { specs, args } of captured) {
    for (const spec of specs) flattenParam(spec.name ?? (isObject(args[spec.index]) ? '' : `arg${spec.index}`), args[spec.index], spec.redact, out);
  }
  const done = new Set<string | symbol>();
  for (let proto = Object.getPrototypeOf(instance) as object | null; proto !== null; proto = Object.getPrototypeOf(proto) as object | null) {
    const ctor = (proto as { constructor?: Function }).constructor;
    if (ctor !== undefined && hasConstructorParams(ctor) && !captured.some((c) => c.owner === ctor)) {
      problems.push(configError(`@Param() constructor parameters of ${ctor.name} were not captured: decorate the class with @Track.`));
    }
    for (const spec of (Reflect.getOwnMetadata(PROPERTY_PARAMS, proto) ?? []) as PropertyParam[]) {
      if (done.has(spec.property)) continue; // a subclass redeclared it
      done.add(spec.property);
      try {
        flattenParam(spec.name, (instance as Record<string | symbol, unknown>)[spec.property], spec.redact, out);
      } catch (error) {
        problems.push(new LogbookError('INVALID_PARAMETER_VALUE', `[core] Could not read @Param() ${spec.name}: ${String(error)}`, { field: spec.name, cause: error }));
      }
    }
  }
  return { params, problems };
}

function appendOwn<T>(key: symbol, target: object, item: T): void {
  const list = (Reflect.getOwnMetadata(key, target) ?? []) as T[];
  Reflect.defineMetadata(key, [...list, item], target);
}

function isObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function configError(message: string): LogbookError {
  return new LogbookError('INVALID_CONFIGURATION', `[core] ${message}`);
}
