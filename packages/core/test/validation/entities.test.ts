import { describe, expect, it } from 'vitest';
import {
  RUN_NAME_TAG, validateAlias, validateArtifactPath, validateExperimentName, validateLogBatch, validateModelName, validateRunTag,
} from '../../src/index.js';

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

describe('validateRunTag', () => {
  it('holds mlflow.runName to the run-name limit of 250 characters (code points), rejecting past it', () => {
    expect(() => validateRunTag(RUN_NAME_TAG, '😀'.repeat(250))).not.toThrow();
    expect(() => validateRunTag(RUN_NAME_TAG, 'n'.repeat(251), 'tags[2].value')).toThrow(
      expect.objectContaining({ code: 'INVALID_PARAMETER_VALUE', field: 'tags[2].value', message: expect.stringMatching(/251 characters long; the limit is 250/) }),
    );
  });

  it('leaves other tags to the tag-value limit', () => {
    expect(() => validateRunTag('notes', 'n'.repeat(8000))).not.toThrow();
  });

  it('is applied to the tags of a log-batch', () => {
    expect(() => validateLogBatch({ tags: [{ key: 'a', value: 'b' }, { key: RUN_NAME_TAG, value: 'x'.repeat(300) }] }, 'truncate')).toThrow(
      expect.objectContaining({ code: 'INVALID_PARAMETER_VALUE', field: 'tags[1].value' }),
    );
  });
});
