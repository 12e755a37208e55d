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
