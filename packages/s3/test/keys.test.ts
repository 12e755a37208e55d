import { describe, expect, it } from 'vitest';
import { formatS3Uri, parseS3Uri } from '../src/index.js';
import { copySource, joinKey, normalizePrefix, objectKey } from '../src/keys.js';

describe('keys', () => {
  describe('parseS3Uri', () => {
    it('splits bucket and key prefix, ignoring stray slashes', () => {
      expect(parseS3Uri('s3://ml-artifacts/logbook/3/abc/artifacts')).toEqual({ bucket: 'ml-artifacts', key: 'logbook/3/abc/artifacts' });
      expect(parseS3Uri('s3://ml-artifacts')).toEqual({ bucket: 'ml-artifacts', key: '' });
      expect(parseS3Uri('s3://ml-artifacts//a//b/')).toEqual({ bucket: 'ml-artifacts', key: 'a/b' });
    });

    it('rejects other schemes, bad bucket names and traversal in the key', () => {
      for (const uri of ['file:///tmp/x', 'mlflow-artifacts:/x', 's3://', 's3://UPPER/x', 's3://ab/x', 's3://bucket/../other']) {
        expect(() => parseS3Uri(uri)).toThrow(expect.objectContaining({ code: 'INVALID_PARAMETER_VALUE', field: 'artifactUri' }));
      }
    });

    it('formats back to the same URI', () => {
      expect(formatS3Uri(parseS3Uri('s3://b-1/p/q'))).toBe('s3://b-1/p/q');
      expect(formatS3Uri({ bucket: 'b-1', key: '' })).toBe('s3://b-1');
    });
  });

  describe('objectKey', () => {
    it('joins a validated relative path under the root', () => {
      expect(objectKey({ bucket: 'b', key: 'p/1/r/artifacts' }, 'model/./w.bin')).toBe('p/1/r/artifacts/model/w.bin');
      expect(objectKey({ bucket: 'b', key: '' }, 'a.txt')).toBe('a.txt');
      expect(() => objectKey({ bucket: 'b', key: 'p' }, '%2e%2e/x')).toThrow(expect.objectContaining({ code: 'INVALID_PARAMETER_VALUE' }));
    });
  });

  describe('helpers', () => {
    it('normalizes prefixes and encodes copy sources per segment', () => {
      expect(normalizePrefix('/a//b/')).toBe('a/b');
      expect(normalizePrefix(undefined)).toBe('');
      expect(joinKey('', 'a', '', 'b')).toBe('a/b');
      expect(copySource('b', 'p/résumé 1.txt')).toBe('b/p/r%C3%A9sum%C3%A9%201.txt');
    });
  });
});
