/**
 * Evaluated first by every decorator module: the decorators store what they record with
 * `Reflect.defineMetadata`, and TypeScript's `design:*` metadata needs the same polyfill. Without
 * it they would fail later with a bare `TypeError` far from the cause, so fail here, at import,
 * with the fix.
 */
const reflect = Reflect as unknown as { getMetadata?: unknown; defineMetadata?: unknown };

if (typeof reflect.getMetadata !== 'function' || typeof reflect.defineMetadata !== 'function') {
  throw new Error(
    "[core] Logbook's decorators need the reflect-metadata polyfill, and Reflect.getMetadata is not defined. " +
      "Add `import 'reflect-metadata';` as the first import of your program (before any module that uses @Track, @Param or @LogMetric).",
  );
}

export {};
