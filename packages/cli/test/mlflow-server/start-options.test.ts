import { loadConfig } from '@logbook/core';
import type { LogbookConfigInput } from '@logbook/core';
import { describe, expect, it } from 'vitest';
import { CliError } from '../../src/exit-codes.js';
import { resolveStartPlan } from '../../src/mlflow-server/start-options.js';
import type { StartFlags } from '../../src/mlflow-server/start-options.js';
// The `s3` setting is @logbook/s3's: a project that configures it has the package installed,
// which the CLI finds from the working folder. Here it is registered from the workspace source.
import '../../../s3/src/s3-config.js';

const cwd = '/srv/lab';
const plan = (flags: StartFlags, input: LogbookConfigInput = {}, env: NodeJS.ProcessEnv = {}) => resolveStartPlan(flags, loadConfig(input, {}, cwd), env, cwd);

/** The CliError `fn` throws (fails the test when it throws nothing or something else). */
function usageError(fn: () => unknown): CliError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(CliError);
    return error as CliError;
  }
  throw new Error('expected a CliError');
}

describe('resolveStartPlan', () => {
  it('defaults to 127.0.0.1:5000, ./mlflow.db and ./mlartifacts of the working folder, development, no auth', () => {
    expect(plan({})).toEqual({
      host: '127.0.0.1',
      port: 5000,
      environment: 'development',
      backendStoreUri: 'sqlite:////srv/lab/mlflow.db',
      artifacts: { kind: 'local', directory: '/srv/lab/mlartifacts' },
    });
  });

  it('takes the backend, artifacts, auth and environment from the configuration', () => {
    const p = plan(
      {},
      {
        environment: 'production',
        databaseUrl: 'postgres://u:pw@db:5432/mlflow',
        s3: { bucket: 'ml', prefix: 'runs', endpoint: 'https://r2.example', secretAccessKey: 'k' },
        authenticationEnabled: true,
        credentials: { username: 'admin', password: 'a-long-password' },
      },
      { MLFLOW_FLASK_SERVER_SECRET_KEY: 'fixed' },
    );
    expect(p.environment).toBe('production');
    expect(p.backendStoreUri).toBe('postgresql+psycopg2://u:pw@db:5432/mlflow');
    expect(p.artifacts).toMatchObject({ kind: 's3', bucket: 'ml', prefix: 'runs', endpoint: 'https://r2.example', secretAccessKey: 'k' });
    expect(p.auth).toEqual({ adminUsername: 'admin', adminPassword: 'a-long-password', secretKey: 'fixed' });
  });

  it('lets options win over the configuration; relative paths resolve against the working folder', () => {
    const p = plan(
      { host: '0.0.0.0', port: '8080', workers: '3', env: 'staging', backendStoreUri: 'sqlite:///data/m.db', artifactsDestination: 's3://other/x/y' },
      { databaseUrl: 'mysql://db/mlflow', s3: { bucket: 'ml', accessKeyId: 'id' }, artifactRoot: '/ignored' },
    );
    expect(p).toMatchObject({ host: '0.0.0.0', port: 8080, workers: 3, environment: 'staging', backendStoreUri: 'sqlite:////srv/lab/data/m.db' });
    // The bucket comes from the option, the connection settings from the s3 section.
    expect(p.artifacts).toEqual({ kind: 's3', bucket: 'other', prefix: 'x/y', accessKeyId: 'id', region: 'auto' });
    expect(plan({ artifactsDestination: 'art' }).artifacts).toEqual({ kind: 'local', directory: '/srv/lab/art' });
    expect(plan({}, { artifactRoot: 'file:///data/art' }).artifacts).toEqual({ kind: 'local', directory: '/data/art' });
  });

  it('rejects bad values naming the option, and never repeats a database password', () => {
    expect(usageError(() => plan({ port: '70000' })).message).toMatch(/^\[cli\] --port must be an integer from 1 to 65535; got '70000'/);
    expect(usageError(() => plan({ port: '50x' })).exitCode).toBe(2);
    expect(usageError(() => plan({ workers: '0' })).message).toContain('--workers');
    expect(usageError(() => plan({ env: 'qa' })).message).toContain('--env must be one of development, staging, production');
    expect(usageError(() => plan({ artifactsDestination: 'gs://b/p' })).message).toContain("--artifacts-destination must be a folder or s3://bucket/prefix; 'gs://'");
    const bad = usageError(() => plan({ backendStoreUri: 'oracle://u:s3cret@h/db' }));
    expect(bad.message).toMatch(/^\[cli\] --backend-store-uri is not a usable backend store: Unsupported database scheme 'oracle:'/);
    expect(bad.message).not.toContain('s3cret');
    expect(usageError(() => plan({}, { databaseUrl: 'postgresql://u:s3cret@h' })).message).toContain('databaseUrl (LOGBOOK_DATABASE_URL)');
  });

  it('requires admin credentials of at least 12 characters for --auth', () => {
    expect(usageError(() => plan({ auth: true })).message).toContain('LOGBOOK_TRACKING_USERNAME and LOGBOOK_TRACKING_PASSWORD');
    expect(usageError(() => plan({ auth: true }, { credentials: { username: 'a', password: 'short' } })).message).toContain('at least 12 characters');
    const one = plan({ auth: true }, { credentials: { username: 'a', password: 'long-enough-pw' } }).auth!;
    expect(one.secretKey).toMatch(/^[0-9a-f]{64}$/);
  });
});
