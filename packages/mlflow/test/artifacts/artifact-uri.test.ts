import { describe, expect, it } from 'vitest';
import { isLogbookError } from '@logbook/core';
import { artifactRoute, joinPath, proxiedRoot } from '../../src/artifacts/artifact-uri.js';

describe('proxiedRoot', () => {
  it('reads mlflow-artifacts URIs with and without a host, and the HTTP form', () => {
    expect(proxiedRoot('mlflow-artifacts:/1/abc/artifacts')).toBe('1/abc/artifacts');
    expect(proxiedRoot('mlflow-artifacts://host:5000/1/abc/artifacts')).toBe('1/abc/artifacts');
    expect(proxiedRoot('http://h:5000/api/2.0/mlflow-artifacts/artifacts/1/abc/artifacts')).toBe('1/abc/artifacts');
  });

  it('rejects other schemes and traversal', () => {
    for (const bad of ['s3://b/k', 'mlflow-artifacts:/1/../../etc']) {
      expect(() => proxiedRoot(bad)).toThrow();
      try {
        proxiedRoot(bad);
      } catch (e) {
        expect(isLogbookError(e, 'INVALID_PARAMETER_VALUE')).toBe(true);
      }
    }
  });
});

describe('artifactRoute', () => {
  it('encodes each segment', () => {
    const { full } = joinPath('1/r/artifacts', 'dir/a b#.txt');
    expect(artifactRoute('artifacts', full)).toBe('/api/2.0/mlflow-artifacts/artifacts/1/r/artifacts/dir/a%20b%23.txt');
  });
});
