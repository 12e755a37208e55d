import { configFailure, configProject } from '@logbook/testkit';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '@logbook/core';
import '../src/index.js';

// Importing @logbook/s3 registered its `s3` setting with core's loader.
describe('the s3 setting of @logbook/s3', () => {
  it('is absent until a layer sets it; AWS_* variables complete it but do not start it', () => {
    const aws = { AWS_ACCESS_KEY_ID: 'AKIA', AWS_SECRET_ACCESS_KEY: 'shh', AWS_DEFAULT_REGION: 'eu-west-1' };
    expect(loadConfig({}, aws, configProject()).s3).toBeUndefined();
    const config = loadConfig({}, { ...aws, LOGBOOK_S3_BUCKET: 'runs', MLFLOW_S3_ENDPOINT_URL: 'http://127.0.0.1:9000' }, configProject());
    expect(config.s3).toEqual({ bucket: 'runs', accessKeyId: 'AKIA', secretAccessKey: 'shh', region: 'eu-west-1', endpoint: 'http://127.0.0.1:9000' });
    expect(loadConfig({ s3: { bucket: 'b' } }, {}, configProject()).s3).toEqual({ bucket: 'b', region: 'auto' });
  });

  it('follows the one precedence: explicit > LOGBOOK_S3_* > AWS’s > profile > file', () => {
    const dir = configProject({ s3: { bucket: 'file', region: 'us-east-1' }, profiles: { staging: { s3: { prefix: 'staging/' } } } });
    expect(loadConfig({}, { LOGBOOK_ENV: 'staging', AWS_REGION: 'eu-west-1' }, dir).s3).toEqual({ bucket: 'file', region: 'us-east-1', prefix: 'staging/' });
    expect(loadConfig({}, { LOGBOOK_S3_REGION: 'eu-west-2', AWS_REGION: 'eu-west-1' }, dir).s3?.region).toBe('eu-west-2');
    expect(loadConfig({ s3: { bucket: 'explicit' } }, { LOGBOOK_S3_BUCKET: 'env' }, dir).s3?.bucket).toBe('explicit');
  });

  it('requires a bucket once any S3 setting is given, naming where that setting came from', () => {
    const e = configFailure(() => loadConfig({}, { LOGBOOK_S3_PREFIX: 'runs/' }, configProject()));
    expect(e.field).toBe('s3.bucket');
    expect(e.message).toMatch(/LOGBOOK_S3_PREFIX/);
    expect(configFailure(() => loadConfig({}, { LOGBOOK_S3_ENDPOINT: 'http//box:9000', LOGBOOK_S3_BUCKET: 'b' }, configProject())).message).toMatch(/s3\.endpoint .*missing ':'/);
    const secret = configFailure(() => loadConfig({ s3: { bucket: 'b', secretAccessKey: 7 as unknown as string } }, {}, configProject()));
    expect(secret.message).toBe('[core] Invalid configuration: s3.secretAccessKey (from explicit options) must be a string, got number.');
  });
});
