import { describe, expect, it } from 'vitest';
import { LogbookError } from '../../src/index.js';
import { appendToArtifactUri, isPathWithin, parseArtifactLocation, validateArtifactLocation } from '../../src/spi.js';

function errorOf(fn: () => unknown): LogbookError {
  try {
    fn();
  } catch (error) {
    return error as LogbookError;
  }
  throw new Error('expected a LogbookError');
}

const root = 'file:///srv/logbook/artifacts';

describe('parseArtifactLocation', () => {
  it('accepts absolute URIs with a path and absolute paths', () => {
    expect(parseArtifactLocation('file:///srv/logbook/artifacts/3')).toEqual({ scheme: 'file', localPath: '/srv/logbook/artifacts/3' });
    expect(parseArtifactLocation('s3://bucket/prefix')).toEqual({ scheme: 's3' });
    expect(parseArtifactLocation('mlflow-artifacts:/exp/1')).toEqual({ scheme: 'mlflow-artifacts' });
    expect(parseArtifactLocation('/srv/a')).toEqual({ scheme: 'file', localPath: '/srv/a' });
  });

  it('refuses query, fragment, relative locations, dot segments and encoded separators, without echoing them', () => {
    const hostile = [
      'file:///etc?x=',
      'file:///etc#',
      'file:///?',
      's3://b/p?versionId=1',
      '../../../etc',
      'etc',
      './x',
      'file:../etc',
      'file:///srv/logbook/artifacts/../../../etc',
      'file:///srv/logbook/artifacts/%2e%2e/%2e%2e/etc',
      'file:///srv/%252e%252e/etc',
      'file:///srv/a%2f..%2fetc',
      'file:///srv/a\\..\\etc',
      'file:///srv/a\u0000',
      'file://evil-host/etc',
      'runs:/abc/x',
      'mlflow-artifacts:x',
      '',
      'x'.repeat(2049),
    ];
    for (const bad of hostile) {
      const error = errorOf(() => parseArtifactLocation(bad, 'artifact_location'));
      expect(error, bad).toBeInstanceOf(LogbookError);
      expect(error.code, bad).toBe('INVALID_PARAMETER_VALUE');
      expect(error.field, bad).toBe('artifact_location');
      if (bad.length > 3) expect(error.message, bad).not.toContain(bad);
      expect(error.message).not.toMatch(/\/etc|\/srv/);
    }
  });
});

describe('validateArtifactLocation', () => {
  it('keeps file: locations inside the configured root', () => {
    expect(validateArtifactLocation('file:///srv/logbook/artifacts/team-a', { root })).toBe('file:///srv/logbook/artifacts/team-a');
    expect(validateArtifactLocation('/srv/logbook/artifacts/b', { root: '/srv/logbook/artifacts' })).toBe('/srv/logbook/artifacts/b');
    for (const outside of ['file:///etc', 'file:///srv/logbook/artifacts-evil/x', 'file:///', '/etc']) {
      expect(errorOf(() => validateArtifactLocation(outside, { root })).code, outside).toBe('INVALID_PARAMETER_VALUE');
    }
  });

  it('refuses every file: location when the root is not local or absent, unless the host opts out', () => {
    expect(errorOf(() => validateArtifactLocation('file:///data/x', { root: 's3://bucket/p' })).code).toBe('INVALID_PARAMETER_VALUE');
    expect(errorOf(() => validateArtifactLocation('file:///data/x')).code).toBe('INVALID_PARAMETER_VALUE');
    expect(validateArtifactLocation('file:///data/x', { allowOutsideRoot: true })).toBe('file:///data/x');
    // Opting out of the root rule keeps every other rule.
    expect(errorOf(() => validateArtifactLocation('file:///etc?x=', { allowOutsideRoot: true })).code).toBe('INVALID_PARAMETER_VALUE');
  });

  it('accepts only the allowed schemes', () => {
    expect(validateArtifactLocation('s3://bucket/p', { root })).toBe('s3://bucket/p');
    expect(errorOf(() => validateArtifactLocation('http://example.test/x', { root })).message).toMatch(/scheme 'http:' is not accepted/);
    expect(validateArtifactLocation('gs://bucket/p', { root, schemes: ['gs'] })).toBe('gs://bucket/p');
  });
});

describe('appendToArtifactUri', () => {
  it('appends run folders to the parsed path', () => {
    expect(appendToArtifactUri('s3://bucket/exp', ['ab12', 'artifacts'])).toBe('s3://bucket/exp/ab12/artifacts');
    expect(appendToArtifactUri('s3://bucket', ['0'])).toBe('s3://bucket/0');
    expect(appendToArtifactUri('file:///srv/a/', ['1'])).toBe('file:///srv/a/1');
    expect(appendToArtifactUri('/srv/a', ['1'])).toBe('/srv/a/1');
    expect(appendToArtifactUri('mlflow-artifacts:/x', ['r', 'artifacts'])).toBe('mlflow-artifacts:/x/r/artifacts');
  });

  it('refuses a stored base with a query or fragment instead of appending after it', () => {
    for (const base of ['file:///etc?x=', 'file:///etc#', 'file:///?']) {
      expect(errorOf(() => appendToArtifactUri(base, ['r', 'artifacts'])).code, base).toBe('INVALID_PARAMETER_VALUE');
    }
    expect(errorOf(() => appendToArtifactUri('file:///srv', ['..'])).code).toBe('INVALID_PARAMETER_VALUE');
  });
});

describe('isPathWithin', () => {
  it('compares whole segments', () => {
    expect(isPathWithin('/srv/a', '/srv/a')).toBe(true);
    expect(isPathWithin('/srv/a', '/srv/a/b')).toBe(true);
    expect(isPathWithin('/srv/a', '/srv/ab')).toBe(false);
    expect(isPathWithin('/srv/a', '/srv')).toBe(false);
  });
});
