import type { InjectionToken } from 'tsyringe';

/**
 * Logbook's own operational log: flushes, retries, dropped or spooled points, errors. A subset of
 * pino's interface, so a pino logger can be passed as is. Silent unless configured. Implementations
 * must never receive secrets: callers pass ids and counts, never credentials.
 */
export interface OperationalLogger {
  error(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  debug(obj: object, msg?: string): void;
  child(bindings: Record<string, unknown>): OperationalLogger;
}

/** DI token of the {@link OperationalLogger}. */
export const OPERATIONAL_LOGGER: InjectionToken<OperationalLogger> = Symbol.for('logbook.OperationalLogger');

/** Where failures of background work (flushes, spooling) are reported, instead of thrown. */
export type ErrorHandler = (error: unknown, context: { readonly operation: string; readonly runId?: string }) => void;

/** DI token of the {@link ErrorHandler}. */
export const ERROR_HANDLER: InjectionToken<ErrorHandler> = Symbol.for('logbook.ErrorHandler');
