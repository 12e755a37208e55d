import { LogbookError } from '@logbook/core';
import { describe, expect, it } from 'vitest';
import { errorCodeOf, toLogbookError } from '../src/errors.js';

const sdkError = (name: string, status?: number) =>
  Object.assign(new Error(`${name} happened`), {
    name,
    ...(status === undefined ? {} : { $metadata: { httpStatusCode: status } }),
  });

describe('errors', () => {
  describe('errorCodeOf', () => {
    it.each([
      ['NoSuchKey', 404, 'RESOURCE_DOES_NOT_EXIST'],
      ['NotFound', 404, 'RESOURCE_DOES_NOT_EXIST'],
      ['NoSuchBucket', 404, 'RESOURCE_DOES_NOT_EXIST'],
      ['InvalidAccessKeyId', 403, 'UNAUTHENTICATED'],
      ['SignatureDoesNotMatch', 403, 'UNAUTHENTICATED'],
      ['AccessDenied', 403, 'PERMISSION_DENIED'],
      ['Forbidden', 403, 'PERMISSION_DENIED'],
      ['SlowDown', 503, 'TEMPORARILY_UNAVAILABLE'],
      ['EntityTooLarge', 400, 'PAYLOAD_TOO_LARGE'],
      ['Weird', 418, 'INTERNAL_ERROR'],
    ])('maps %s (%i) to %s', (name, status, code) => {
      expect(errorCodeOf(sdkError(name, status))).toBe(code);
    });

    it('maps socket errors, also when wrapped, to TEMPORARILY_UNAVAILABLE', () => {
      expect(errorCodeOf(Object.assign(new Error('x'), { code: 'ECONNREFUSED' }))).toBe('TEMPORARILY_UNAVAILABLE');
      expect(errorCodeOf(new Error('x', { cause: Object.assign(new Error('y'), { code: 'ECONNRESET' }) }))).toBe('TEMPORARILY_UNAVAILABLE');
    });
  });

  describe('toLogbookError', () => {
    it('names the action and object, keeps the cause, and passes LogbookErrors through', () => {
      const cause = sdkError('NoSuchKey', 404);
      const error = toLogbookError(cause, 'download', 's3://b/k');
      expect(error).toMatchObject({ code: 'RESOURCE_DOES_NOT_EXIST', cause });
      expect(error.message).toMatch(/^\[s3\] Cannot download s3:\/\/b\/k: not found \(NoSuchKey 404\)/);
      const own = new LogbookError('DATA_LOSS', '[s3] x');
      expect(toLogbookError(own, 'download', 's3://b/k')).toBe(own);
    });
  });
});
