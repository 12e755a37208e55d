import { pino } from 'pino';
import type { DestinationStream, Logger } from 'pino';
import type { LogLevel } from '../config/types.js';
import type { OperationalLogger } from '../contracts/logger.js';
import { redactSecrets } from './redact.js';

/** A logger that writes nothing: the default (`logLevel: 'silent'`). */
export const silentLogger: OperationalLogger = Object.freeze({
  error() {},
  warn() {},
  info() {},
  debug() {},
  child() {
    return silentLogger;
  },
});

class PinoOperationalLogger implements OperationalLogger {
  constructor(private readonly pino: Logger) {}

  error(obj: object, msg?: string): void {
    this.pino.error(redactSecrets(obj) as object, msg);
  }
  warn(obj: object, msg?: string): void {
    this.pino.warn(redactSecrets(obj) as object, msg);
  }
  info(obj: object, msg?: string): void {
    this.pino.info(redactSecrets(obj) as object, msg);
  }
  debug(obj: object, msg?: string): void {
    this.pino.debug(redactSecrets(obj) as object, msg);
  }
  child(bindings: Record<string, unknown>): OperationalLogger {
    return new PinoOperationalLogger(this.pino.child(redactSecrets(bindings) as Record<string, unknown>));
  }
}

/**
 * Logbook's operational log on pino (JSON lines, to stdout unless `destination` is given).
 * Values of keys that look like secrets (password, token, secret, authorization…) are replaced
 * by `[Redacted]` at any depth before pino sees them.
 *
 * @example
 * ```ts
 * const logger = createPinoLogger('info');
 * logger.info({ runId, points: 1000 }, 'flushed');
 * ```
 */
export function createPinoLogger(level: LogLevel, destination?: DestinationStream): OperationalLogger {
  if (level === 'silent') return silentLogger;
  const options = { name: 'logbook', level, base: { pid: process.pid } };
  return new PinoOperationalLogger(destination === undefined ? pino(options) : pino(options, destination));
}
