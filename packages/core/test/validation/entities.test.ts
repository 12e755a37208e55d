import { describe, expect, it } from 'vitest';
import { LogbookError } from '../../src/index.js';
import {
  checkLength,
  validateKey,
  validateRunName,
  RUN_NAME_TAG,
  validateAlias,
  validateArtifactPath,
  validateExperimentName,
  validateLogBatch,
  validateModelName,
  validateRunTag,
} from '../../src/spi.js';

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
    expect(() =>
      validateLogBatch(
        {
          tags: [
            { key: 'a', value: 'b' },
            { key: RUN_NAME_TAG, value: 'x'.repeat(300) },
          ],
        },
        'truncate',
      ),
    ).toThrow(expect.objectContaining({ code: 'INVALID_PARAMETER_VALUE', field: 'tags[1].value' }));
  });
});

describe('name validators given the wrong type (plain-JS callers)', () => {
  const hostile: unknown[] = [
    { name: 'x' },
    42,
    true,
    null,
    undefined,
    ['a'],
    Object.create(null),
    Symbol('s'),
    {
      toString: () => {
        throw new Error('no');
      },
    },
  ];
  const validators: [string, (v: unknown) => void, string][] = [
    ['validateRunName', (v) => validateRunName(v), 'runName'],
    ['validateExperimentName', (v) => validateExperimentName(v), 'name'],
    ['validateModelName', (v) => validateModelName(v), 'name'],
    ['validateAlias', (v) => validateAlias(v), 'alias'],
    ['validateKey', (v) => validateKey('param', v), 'param.key'],
    ['validateRunTag (mlflow.runName)', (v) => validateRunTag(RUN_NAME_TAG, v), 'value'],
    ['checkLength', (v) => checkLength(v as string, 10, 'description'), 'description'],
  ];
  for (const [name, validate, field] of validators) {
    it(`${name} throws INVALID_PARAMETER_VALUE naming '${field}' for every non-string`, () => {
      for (const value of hostile) {
        let thrown: unknown;
        try {
          validate(value);
        } catch (error) {
          thrown = error;
        }
        expect(thrown, `${name}(${typeof value})`).toBeInstanceOf(LogbookError);
        expect(thrown).toMatchObject({ code: 'INVALID_PARAMETER_VALUE', field });
      }
    });
  }

  it('says what type it got', () => {
    expect(() => validateRunName({})).toThrow('Run name must be a string, got object (runName).');
    expect(() => validateRunName([])).toThrow('got array');
    expect(() => validateRunName(null)).toThrow('got null');
  });
});
