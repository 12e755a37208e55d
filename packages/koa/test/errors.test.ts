import { describe, expect, it } from 'vitest';
import { LogbookError } from '@logbook/core';
import { httpStatusOf, toErrorResponse } from '../src/index.js';

describe('httpStatusOf', () => {
  it("maps RESOURCE_ALREADY_EXISTS to 409 (MLflow's REST API says 400) and keeps core's table otherwise", () => {
    expect(httpStatusOf('RESOURCE_ALREADY_EXISTS')).toBe(409);
    expect(httpStatusOf('RESOURCE_DOES_NOT_EXIST')).toBe(404);
    expect(httpStatusOf('INVALID_PARAMETER_VALUE')).toBe(400);
    expect(httpStatusOf('PERMISSION_DENIED')).toBe(403);
    expect(httpStatusOf('UNAUTHENTICATED')).toBe(401);
    expect(httpStatusOf('TEMPORARILY_UNAVAILABLE')).toBe(503);
    expect(httpStatusOf('PAYLOAD_TOO_LARGE')).toBe(413);
  });

  it("maps INVALID_STATE about a named field (the thing's state) to 409, and the store's own to 500", () => {
    expect(httpStatusOf('INVALID_STATE', 'environment')).toBe(409);
    expect(httpStatusOf('INVALID_STATE')).toBe(500);
    const r = toErrorResponse(new LogbookError('INVALID_STATE', '[core] Version 2 has no deployment', { field: 'environment' }), 'rid');
    expect(r).toEqual({ status: 409, code: 'INVALID_STATE', message: '[core] Version 2 has no deployment', field: 'environment' });
  });

  it('keeps the code and message of a feature the host switched off (501)', () => {
    const r = toErrorResponse(new LogbookError('FEATURE_DISABLED', '[core] The model registry is disabled (modelRegistryEnabled: false)'), 'rid');
    expect(r).toEqual({ status: 501, code: 'FEATURE_DISABLED', message: '[core] The model registry is disabled (modelRegistryEnabled: false)' });
  });
});

describe('toErrorResponse', () => {
  it('shows client errors with their message and field', () => {
    const r = toErrorResponse(new LogbookError('INVALID_PARAMETER_VALUE', '[core] bad name', { field: 'name' }), 'rid');
    expect(r).toEqual({ status: 400, code: 'INVALID_PARAMETER_VALUE', message: '[core] bad name', field: 'name' });
  });

  it('hides the detail of server errors behind the request id', () => {
    const secret = 'postgres://user:hunter2@db/x';
    for (const error of [new Error(`connect to ${secret} failed`), new LogbookError('INVALID_STATE', `[mlflow] ${secret}`), 'a string']) {
      const r = toErrorResponse(error, 'rid-1');
      expect(r.status).toBe(500);
      expect(r.message).toBe('[koa] Internal error (request id rid-1).');
      expect(JSON.stringify(r)).not.toContain('hunter2');
    }
  });

  it('treats connection errors (also as a cause) and TEMPORARILY_UNAVAILABLE as 503', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
    expect(toErrorResponse(refused, 'r').status).toBe(503);
    expect(toErrorResponse(new Error('fetch failed', { cause: refused }), 'r').status).toBe(503);
    const r = toErrorResponse(new LogbookError('TEMPORARILY_UNAVAILABLE', '[mlflow] http://u:p@host down'), 'r');
    expect(r).toMatchObject({ status: 503, code: 'TEMPORARILY_UNAVAILABLE' });
    expect(r.message).not.toContain('u:p');
  });

  it('keeps the 4xx status of errors raised by Koa helpers (body parsing)', () => {
    expect(toErrorResponse(Object.assign(new Error('request entity too large'), { status: 413 }), 'r')).toMatchObject({ status: 413, code: 'PAYLOAD_TOO_LARGE', field: 'body' });
    expect(toErrorResponse(Object.assign(new Error('Unexpected token'), { status: 400 }), 'r')).toMatchObject({ status: 400, code: 'BAD_REQUEST', field: 'body' });
  });
});
