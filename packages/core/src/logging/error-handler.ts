import type { ErrorHandler, OperationalLogger } from '../contracts/logger.js';
import { silentLogger } from './operational-logger.js';

/**
 * The default {@link ErrorHandler}: logs through the operational logger at error level. When
 * that logger is the silent one (the default `logLevel`), the first failure of each error code is
 * also emitted as a Node process warning, so lost points never go unnoticed.
 */
export function createLoggingErrorHandler(logger: OperationalLogger): ErrorHandler {
  const warned = new Set<string>();
  return (error, context) => {
    const message = error instanceof Error ? error.message : 'Logbook background operation failed';
    logger.error({ err: error, ...context }, message);
    if (logger !== silentLogger) return;
    const code = (error as { code?: unknown } | null)?.code;
    const key = typeof code === 'string' ? code : 'UNKNOWN';
    if (warned.has(key)) return;
    warned.add(key);
    process.emitWarning(`${message} (${context.operation}; further ${key} failures are reported only with logLevel 'error' or lower)`, {
      type: 'LogbookWarning',
      code: key,
    });
  };
}

/** Calls `handler`, swallowing anything it throws: reporting must never reach the caller. */
export function report(handler: ErrorHandler, error: unknown, context: Parameters<ErrorHandler>[1]): void {
  try {
    handler(error, context);
  } catch {
    // A throwing error handler must not break the training loop that triggered the report.
  }
}
