import { describe, expect, it } from 'vitest';
import { validateAlias, validateArtifactPath, validateExperimentName, validateModelName } from '../../src/index.js';

describe('validateArtifactPath', () => {
  it('normalizes safe relative paths', () => {
    expect(validateArtifactPath('model/weights.bin')).toBe('model/weights.bin');
    expect(validateArtifactPath('a//b/./c')).toBe('a/b/c');
    expect(validateArtifactPath('')).toBe('');
  });

  it('rejects traversal, absolute paths and their encoded variants', () => {
    for (const p of ['../x', 'a/../../x', '/etc/passwd', '%2e%2e/x', '%252e%252e/x', 'a\\..\\b', 'C:/x', 'a\0b', '%2Fetc']) {
      expect(() => validateArtifactPath(p), p).toThrow(/relative path|percent-encoding/);
    }
  });
});

describe('registry names', () => {
  it('rejects model names with / or :, and empty ones', () => {
    expect(() => validateModelName('unet-transients')).not.toThrow();
    expect(() => validateModelName('a/b')).toThrow(/cannot contain/);
    expect(() => validateModelName('a:b')).toThrow(/cannot contain/);
    expect(() => validateModelName('  ')).toThrow(/empty/);
  });

  it('reserves latest and v<digits> as aliases', () => {
    expect(() => validateAlias('champion')).not.toThrow();
    expect(() => validateAlias('Latest')).toThrow(/reserved/);
    expect(() => validateAlias('v12')).toThrow(/reserved/);
    expect(() => validateAlias('a.b')).toThrow(/alphanumerics/);
  });

  it('limits experiment names to 500 characters', () => {
    expect(() => validateExperimentName('anomaly-detection/unet-training')).not.toThrow();
    expect(() => validateExperimentName('e'.repeat(501))).toThrow(/500/);
  });
});
