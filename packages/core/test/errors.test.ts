import { describe, expect, it } from 'vitest';
import { LogbookError, isLogbookError } from '../src/index.js';
import { toErrorCode } from '../src/spi.js';

describe('LogbookError', () => {
  it('maps MLflow codes to MLflow HTTP statuses (RESOURCE_ALREADY_EXISTS is 400, not 409)', () => {
    expect(new LogbookError('RESOURCE_ALREADY_EXISTS', 'x').httpStatus).toBe(400);
    expect(new LogbookError('RESOURCE_DOES_NOT_EXIST', 'x').httpStatus).toBe(404);
    expect(new LogbookError('INVALID_STATE', 'x').httpStatus).toBe(500);
  });

  it('narrows by code', () => {
    const e: unknown = new LogbookError('PERMISSION_DENIED', '[mlflow] no', { field: 'runId' });
    expect(isLogbookError(e, 'PERMISSION_DENIED')).toBe(true);
    expect(isLogbookError(e, 'UNAUTHENTICATED')).toBe(false);
    expect(isLogbookError(new Error('x'))).toBe(false);
  });

  it('reads codes off the wire, falling back to the HTTP status when none is sent', () => {
    expect(toErrorCode('RESOURCE_DOES_NOT_EXIST', 404)).toBe('RESOURCE_DOES_NOT_EXIST');
    expect(toErrorCode('FEATURE_DISABLED', 500)).toBe('FEATURE_DISABLED'); // MLflow's own code (workspaces off)
    expect(toErrorCode('A_CODE_FROM_THE_FUTURE', 400)).toBe('INTERNAL_ERROR');
    expect(toErrorCode(undefined, 401)).toBe('UNAUTHENTICATED');
    expect(toErrorCode(undefined, 503)).toBe('TEMPORARILY_UNAVAILABLE');
  });
});
