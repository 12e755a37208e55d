import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, LogbookError, loadConfig } from '../../src/index.js';

function project(file?: unknown, name = 'logbook.config.json'): string {
  const dir = mkdtempSync(join(tmpdir(), 'logbook-config-'));
  if (file !== undefined) writeFileSync(join(dir, name), typeof file === 'string' ? file : JSON.stringify(file));
  return dir;
}

function failure(run: () => unknown): LogbookError {
  try {
    run();
  } catch (error) {
    if (error instanceof LogbookError) return error;
    throw error;
  }
  throw new Error('expected loadConfig to throw');
}

describe('loadConfig', () => {
  describe('defaults', () => {
    it('are the documented ones when nothing is configured', () => {
      const config = loadConfig({}, {}, project());
      expect(config).toEqual(DEFAULT_CONFIG);
      expect(config).toMatchObject({
        environment: 'development', trackingUri: './logbook.db', logLevel: 'silent', maxArtifactSize: 5 * 1024 ** 3,
        modelRegistryEnabled: true, experimentAutoLogging: true, artifactCompression: false, authenticationEnabled: false,
        http: { maxRetries: 7, backoffFactor: 2, backoffJitter: 1, requestTimeoutMs: 120_000, deadlineMs: 300_000, insecureTls: false },
        logging: { maxBatchSize: 1000, flushIntervalMs: 1000, maxBufferedPoints: 1_000_000, drainOnExit: true, exitDrainTimeoutMs: 10_000 },
        spool: { enabled: true, path: './logbook-spool.db', failoverMs: 10_000 },
      });
      expect(config.s3).toBeUndefined();
    });
  });

  describe('precedence', () => {
    const file = {
      trackingUri: './file.db',
      logLevel: 'warn',
      logging: { maxBatchSize: 100, flushIntervalMs: 50 },
      profiles: { production: { trackingUri: 'https://prod.example', logging: { maxBatchSize: 200 } } },
    };

    it('file top level beats defaults', () => {
      const config = loadConfig({}, {}, project(file));
      expect(config.trackingUri).toBe('./file.db');
      expect(config.logging).toMatchObject({ maxBatchSize: 100, flushIntervalMs: 50, drainOnExit: true });
    });

    it('spool settings come from LOGBOOK_SPOOL_* over the file', () => {
      const env = { LOGBOOK_SPOOL_PATH: '/data/spool.db', LOGBOOK_SPOOL_ENABLED: 'false' };
      const config = loadConfig({}, env, project({ spool: { path: './file-spool.db', failoverMs: 500 } }));
      expect(config.spool).toEqual({ enabled: false, path: '/data/spool.db', failoverMs: 500 });
    });

    it('the profile of the environment beats the file top level', () => {
      const config = loadConfig({}, { LOGBOOK_ENV: 'production' }, project(file));
      expect(config.environment).toBe('production');
      expect(config.trackingUri).toBe('https://prod.example');
      expect(config.logging).toMatchObject({ maxBatchSize: 200, flushIntervalMs: 50 });
      expect(config.logLevel).toBe('warn');
    });

    it('the environment beats the file profile', () => {
      const config = loadConfig({}, { LOGBOOK_ENV: 'production', LOGBOOK_MAX_BATCH_SIZE: '300', MLFLOW_TRACKING_URI: 'http://env:5000' }, project(file));
      expect(config.logging.maxBatchSize).toBe(300);
      expect(config.trackingUri).toBe('http://env:5000');
    });

    it('explicit options beat the environment, section by section', () => {
      const config = loadConfig(
        { environment: 'production', logging: { maxBatchSize: 400 } },
        { LOGBOOK_ENV: 'staging', LOGBOOK_MAX_BATCH_SIZE: '300', LOGBOOK_FLUSH_INTERVAL_MS: '70' },
        project(file),
      );
      expect(config.environment).toBe('production');
      expect(config.trackingUri).toBe('https://prod.example');
      expect(config.logging).toMatchObject({ maxBatchSize: 400, flushIntervalMs: 70 });
    });

    it('LOGBOOK_* beats MLflow’s own variable for the same setting', () => {
      const config = loadConfig({}, { MLFLOW_TRACKING_URI: 'http://mlflow:5000', LOGBOOK_TRACKING_URI: 'sqlite:./a.db' }, project());
      expect(config.trackingUri).toBe('sqlite:./a.db');
    });

    it('reads the file named by LOGBOOK_CONFIG_FILE, relative to cwd', () => {
      const dir = project({ trackingUri: './other.db' }, 'custom.json');
      expect(loadConfig({}, { LOGBOOK_CONFIG_FILE: 'custom.json' }, dir).trackingUri).toBe('./other.db');
    });

    it('picks the environment from the file when neither option nor variable sets it', () => {
      const config = loadConfig({}, {}, project({ ...file, environment: 'production' }));
      expect(config.trackingUri).toBe('https://prod.example');
    });
  });

  describe('environment variables', () => {
    it('maps MLflow’s variables, converting seconds to milliseconds', () => {
      const config = loadConfig({}, {
        MLFLOW_TRACKING_USERNAME: 'ana', MLFLOW_TRACKING_PASSWORD: 'pw', MLFLOW_TRACKING_TOKEN: 'tok',
        MLFLOW_HTTP_REQUEST_MAX_RETRIES: '3', MLFLOW_HTTP_REQUEST_BACKOFF_FACTOR: '0.5', MLFLOW_HTTP_REQUEST_BACKOFF_JITTER: '0',
        MLFLOW_HTTP_REQUEST_TIMEOUT: '2.5', MLFLOW_TRACKING_INSECURE_TLS: 'true', MLFLOW_TRACKING_SERVER_CERT_PATH: '/ca.pem',
      }, project());
      expect(config.credentials).toEqual({ username: 'ana', password: 'pw', token: 'tok' });
      expect(config.http).toMatchObject({ maxRetries: 3, backoffFactor: 0.5, backoffJitter: 0, requestTimeoutMs: 2500, insecureTls: true, caCertPath: '/ca.pem' });
    });

    it('maps the LOGBOOK_* settings, sizes with units included', () => {
      const config = loadConfig({}, {
        LOGBOOK_ARTIFACT_ROOT: 's3://b/p', LOGBOOK_DATABASE_URL: 'postgresql://localhost/db', LOGBOOK_MAX_ARTIFACT_SIZE: '2GiB',
        LOGBOOK_ARTIFACT_COMPRESSION: '1', LOGBOOK_LOG_LEVEL: 'debug', LOGBOOK_DRAIN_ON_EXIT: 'no',
      }, project());
      expect(config).toMatchObject({
        artifactRoot: 's3://b/p', databaseUrl: 'postgresql://localhost/db', maxArtifactSize: 2 * 1024 ** 3,
        artifactCompression: true, logLevel: 'debug', logging: { drainOnExit: false },
      });
    });

    it('completes an S3 section with AWS_* credentials, but does not start one from them', () => {
      const aws = { AWS_ACCESS_KEY_ID: 'AKIA', AWS_SECRET_ACCESS_KEY: 'shh', AWS_DEFAULT_REGION: 'eu-west-1' };
      expect(loadConfig({}, aws, project()).s3).toBeUndefined();
      const config = loadConfig({}, { ...aws, LOGBOOK_S3_BUCKET: 'runs', MLFLOW_S3_ENDPOINT_URL: 'http://127.0.0.1:9000' }, project());
      expect(config.s3).toEqual({ bucket: 'runs', accessKeyId: 'AKIA', secretAccessKey: 'shh', region: 'eu-west-1', endpoint: 'http://127.0.0.1:9000' });
      expect(loadConfig({ s3: { bucket: 'b' } }, {}, project()).s3).toEqual({ bucket: 'b', region: 'auto' });
    });

    it('treats empty variables as unset', () => {
      expect(loadConfig({}, { LOGBOOK_TRACKING_URI: '', LOGBOOK_MAX_BATCH_SIZE: '' }, project()).trackingUri).toBe('./logbook.db');
    });
  });

  describe('invalid configuration', () => {
    it('names the variable of a bad number', () => {
      const e = failure(() => loadConfig({}, { LOGBOOK_MAX_BATCH_SIZE: 'lots' }, project()));
      expect(e.code).toBe('INVALID_CONFIGURATION');
      expect(e.field).toBe('logging.maxBatchSize');
      expect(e.message).toBe('[core] Invalid configuration: logging.maxBatchSize (from environment variable LOGBOOK_MAX_BATCH_SIZE) must be an integer from 1 to 1000, got "lots".');
    });

    it('rejects numbers out of range, fractions and bad sizes', () => {
      expect(failure(() => loadConfig({ logging: { maxBatchSize: 1001 } }, {}, project())).message).toMatch(/maxBatchSize \(from explicit options\) must be an integer from 1 to 1000/);
      expect(failure(() => loadConfig({}, { MLFLOW_HTTP_REQUEST_MAX_RETRIES: '1.5' }, project())).message).toMatch(/MLFLOW_HTTP_REQUEST_MAX_RETRIES/);
      expect(failure(() => loadConfig({}, { LOGBOOK_MAX_ARTIFACT_SIZE: '5 parsecs' }, project())).message).toMatch(/size in bytes/);
      expect(failure(() => loadConfig({ logging: { maxBufferedPoints: 10, maxBatchSize: 100 } }, {}, project())).field).toBe('logging.maxBufferedPoints');
    });

    it('names an unknown environment and the allowed ones', () => {
      const e = failure(() => loadConfig({}, { LOGBOOK_ENV: 'prod' }, project()));
      expect(e.message).toMatch(/environment \(from environment variable LOGBOOK_ENV\) must be one of development, staging, production, got "prod"/);
    });

    it('rejects a malformed tracking URI without echoing credentials', () => {
      const e = failure(() => loadConfig({}, { MLFLOW_TRACKING_URI: 'http://user:s3cret@' }, project()));
      expect(e.message).toMatch(/trackingUri \(from environment variable MLFLOW_TRACKING_URI\) is not a valid http URI/);
      expect(e.message).not.toContain('s3cret');
      expect(failure(() => loadConfig({ trackingUri: 'http//host:5000' }, {}, project())).message).toMatch(/missing ':'/);
      expect(failure(() => loadConfig({ trackingUri: '' }, {}, project())).message).toMatch(/must not be empty/);
    });

    it('never echoes a secret value', () => {
      const e = failure(() => loadConfig({ credentials: { password: 42 as unknown as string } }, {}, project()));
      expect(e.message).toBe('[core] Invalid configuration: credentials.password (from explicit options) must be a string, got number.');
    });

    it('names an unknown key and the file it is in', () => {
      const dir = project({ trackingUri: './a.db', logging: { maxBatchSzie: 5 } });
      const e = failure(() => loadConfig({}, {}, dir));
      expect(e.field).toBe('logging.maxBatchSzie');
      expect(e.message).toContain(join(dir, 'logbook.config.json'));
      expect(e.message).toMatch(/is not a known Logbook setting/);
    });

    it('names an unknown profile and a bad value inside a profile', () => {
      expect(failure(() => loadConfig({}, {}, project({ profiles: { prod: {} } }))).message).toMatch(/profiles\.prod .* is not an environment/);
      const e = failure(() => loadConfig({}, {}, project({ profiles: { staging: { logLevel: 'loud' } } })));
      expect(e.message).toMatch(/logLevel \(from .*logbook\.config\.json \(profiles\.staging\)\) must be one of silent, error, warn, info, debug/);
    });

    it('reports malformed JSON and a missing LOGBOOK_CONFIG_FILE', () => {
      expect(failure(() => loadConfig({}, {}, project('{ nope'))).message).toMatch(/is not valid JSON/);
      expect(failure(() => loadConfig({}, { LOGBOOK_CONFIG_FILE: 'missing.json' }, project())).message).toMatch(/LOGBOOK_CONFIG_FILE .* does not exist/);
    });

    it('requires a bucket once any S3 setting is given', () => {
      const e = failure(() => loadConfig({}, { LOGBOOK_S3_PREFIX: 'runs/' }, project()));
      expect(e.field).toBe('s3.bucket');
      expect(e.message).toMatch(/LOGBOOK_S3_PREFIX/);
    });
  });
});
