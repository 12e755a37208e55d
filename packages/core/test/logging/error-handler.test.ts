import { afterEach, describe, expect, it, vi } from 'vitest';
import { LogbookError, createLoggingErrorHandler, silentLogger } from '../../src/index.js';
import type { OperationalLogger } from '../../src/index.js';

function recordingLogger(): OperationalLogger & { errors: [object, string | undefined][] } {
  const errors: [object, string | undefined][] = [];
  const logger = {
    errors,
    error: (obj: object, msg?: string) => void errors.push([obj, msg]),
    warn() {},
    info() {},
    debug() {},
    child: () => logger,
  };
  return logger;
}

describe('createLoggingErrorHandler', () => {
  afterEach(() => vi.restoreAllMocks());

  it('logs each failure at error level with its context', () => {
    const logger = recordingLogger();
    const error = new LogbookError('INVALID_PARAMETER_VALUE', '[core] bad');
    createLoggingErrorHandler(logger)(error, { operation: 'logBatch', runId: 'r1' });
    expect(logger.errors).toEqual([[{ err: error, operation: 'logBatch', runId: 'r1' }, '[core] bad']]);
  });

  it('with the silent logger, warns once per error code so failures are not invisible', () => {
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
    const handler = createLoggingErrorHandler(silentLogger);
    handler(new LogbookError('INVALID_PARAMETER_VALUE', '[core] one'), { operation: 'log' });
    handler(new LogbookError('INVALID_PARAMETER_VALUE', '[core] two'), { operation: 'log' });
    handler(new LogbookError('RESOURCE_EXHAUSTED', '[core] full'), { operation: 'log' });
    expect(warn).toHaveBeenCalledTimes(2);
    expect(String(warn.mock.calls[0]![0])).toMatch(/^\[core\] one/);
  });
});
