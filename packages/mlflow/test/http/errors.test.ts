import { describe, expect, it } from 'vitest';
import { certificateError, httpError, shorten } from '../../src/http/errors.js';

const call = { method: 'POST', path: '/api/2.0/mlflow/runs/create', origin: 'http://127.0.0.1:5000' };

describe('httpError', () => {
  it("keeps MLflow's code and message, with or without sqlstate/error_class", () => {
    const old = httpError(404, '{"error_code":"RESOURCE_DOES_NOT_EXIST","message":"Run with id=x not found"}', call);
    const neu = httpError(404, '{"error_code":"RESOURCE_DOES_NOT_EXIST","message":"Run with id=x not found","sqlstate":"KAM00","error_class":"RESOURCE_NOT_FOUND"}', call);
    for (const e of [old, neu]) {
      expect(e.code).toBe('RESOURCE_DOES_NOT_EXIST');
      expect(e.message).toMatch(/^\[mlflow\] Run with id=x not found/);
    }
  });

  it('maps text 401/403/503 bodies to typed codes with a clear message', () => {
    expect(httpError(401, 'You are not authenticated.', call)).toMatchObject({ code: 'UNAUTHENTICATED', message: expect.stringMatching(/credentials/) });
    expect(httpError(403, 'Permission denied', call).code).toBe('PERMISSION_DENIED');
    expect(httpError(503, 'Endpoint disabled', call).code).toBe('TEMPORARILY_UNAVAILABLE');
  });

  it('keeps an unknown alias INVALID_PARAMETER_VALUE (MLflow answers 400)', () => {
    const e = httpError(400, '{"error_code":"INVALID_PARAMETER_VALUE","message":"Registered model alias a not found."}', call);
    expect(e.code).toBe('INVALID_PARAMETER_VALUE');
  });
});

describe('shorten', () => {
  it('cuts a long answer by code point, never inside an emoji', () => {
    const text = `${'a'.repeat(199)}${'😀'.repeat(10)}`;
    const cut = shorten(text, 200);
    expect(cut).toBe(`${'a'.repeat(199)}😀…`);
    expect(/\p{Cs}/u.test(cut)).toBe(false);
    expect(shorten('😀'.repeat(200), 200)).toBe('😀'.repeat(200));
  });

  it('keeps a 500-emoji server message whole in the error (500 characters, 1000 UTF-16 units)', () => {
    const e = httpError(500, '😀'.repeat(500), call);
    expect(e.message).toContain('😀'.repeat(200));
    expect(/\p{Cs}/u.test(e.message)).toBe(false);
  });
});

describe('certificateError', () => {
  it('is a final INVALID_CONFIGURATION error that says how to trust the server', () => {
    const cause = Object.assign(new Error('unable to verify the first certificate'), { code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' });
    const e = certificateError(cause, { ...call, origin: 'https://mlflow.example:443' });
    expect(e).toMatchObject({ code: 'INVALID_CONFIGURATION', field: 'http.caCertPath', cause });
    expect(e.message).toMatch(
      /^\[mlflow\] The TLS certificate of the MLflow server at https:\/\/mlflow\.example:443 could not be verified \(POST \/api\/2\.0\/mlflow\/runs\/create: unable to verify the first certificate, UNABLE_TO_VERIFY_LEAF_SIGNATURE\)/,
    );
    expect(e.message).toMatch(/MLFLOW_TRACKING_SERVER_CERT_PATH.*insecureTls.*Not retried/);
  });
});
