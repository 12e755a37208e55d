import type { ErrorHandler, OperationalLogger } from '../contracts/logger.js';

/** The default {@link ErrorHandler}: logs through the operational logger at error level. */
export function createLoggingErrorHandler(logger: OperationalLogger): ErrorHandler {
  return (error, context) => {
    logger.error({ err: error, ...context }, error instanceof Error ? error.message : 'Logbook background operation failed');
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
