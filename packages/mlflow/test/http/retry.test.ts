import { describe, expect, it } from 'vitest';
import { backoffMs, isCertificateError, isConnectionError, isRetryableStatus, retryAfterMs } from '../../src/http/retry.js';

describe('backoffMs', () => {
  const http = { backoffFactor: 2, backoffJitter: 1 };
  it("follows urllib3's schedule: 0, 4, 8, 16 … capped at 120 s, plus jitter", () => {
    const none = () => 0;
    expect([1, 2, 3, 4, 5, 6, 7, 8].map((n) => backoffMs(n, http, none))).toEqual([0, 4000, 8000, 16000, 32000, 64000, 120000, 120000]);
    expect(backoffMs(2, http, () => 0.5)).toBe(4500);
  });
});

describe('isRetryableStatus', () => {
  it('retries 408/429/5xx without an MLflow error body, and MLflow errors only when transient', () => {
    expect([408, 429, 500, 502, 503, 504].every((s) => isRetryableStatus(s, undefined))).toBe(true);
    expect(isRetryableStatus(400, undefined)).toBe(false);
    expect(isRetryableStatus(500, 'INVALID_STATE')).toBe(false);
    expect(isRetryableStatus(503, 'TEMPORARILY_UNAVAILABLE')).toBe(true);
  });

  it("retries an INTERNAL_ERROR 500 that is the server's database being busy, and no other", () => {
    const busy = [
      'QueuePool limit of size 5 overflow 10 reached, connection timed out, timeout 30.00 (Background on this error at: https://sqlalche.me/e/21/3o7r)',
      '(sqlite3.OperationalError) database is locked',
      '(psycopg2.errors.DeadlockDetected) deadlock detected',
      '(psycopg2.OperationalError) server closed the connection unexpectedly',
      '(psycopg2.OperationalError) FATAL:  sorry, too many clients already',
    ];
    for (const message of busy) expect(isRetryableStatus(500, 'INTERNAL_ERROR', message), message).toBe(true);
    expect(isRetryableStatus(500, 'INTERNAL_ERROR', "Invalid Model Version stage: Prod. Value must be one of 'None', 'Staging'")).toBe(false);
    expect(isRetryableStatus(500, 'INTERNAL_ERROR', undefined)).toBe(false);
    expect(isRetryableStatus(400, 'INVALID_PARAMETER_VALUE', 'database is locked')).toBe(false);
    expect(isRetryableStatus(500, 'INVALID_STATE', 'database is locked')).toBe(false);
  });
});

describe('retryAfterMs', () => {
  it('reads delta-seconds and HTTP dates', () => {
    expect(retryAfterMs('2')).toBe(2000);
    expect(retryAfterMs(new Date(10_000).toUTCString(), 4_000)).toBe(6000);
    expect(retryAfterMs('soon')).toBeUndefined();
    expect(retryAfterMs(undefined)).toBeUndefined();
  });
});

describe('isCertificateError', () => {
  const tlsError = (code: string) => Object.assign(new Error('unable to verify the first certificate'), { code });
  it('recognises certificate verification and host-name failures, on the error or its cause', () => {
    for (const code of ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'SELF_SIGNED_CERT_IN_CHAIN', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'CERT_HAS_EXPIRED', 'ERR_TLS_CERT_ALTNAME_INVALID']) {
      expect(isCertificateError(tlsError(code))).toBe(true);
      expect(isConnectionError(tlsError(code))).toBe(false);
    }
    expect(isCertificateError(new Error('wrapped', { cause: tlsError('CERT_HAS_EXPIRED') }))).toBe(true);
  });

  it('leaves network failures to the retry policy', () => {
    expect(isCertificateError(tlsError('ECONNRESET'))).toBe(false);
    expect(isCertificateError(new Error('no code'))).toBe(false);
  });
});
