import { join } from 'node:path';
import { configFailure, configProject } from '../../../testkit/src/index.js';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, loadConfig } from '../../src/index.js';
import { scanConfig } from '../../src/config/load-config.js';

describe('loadConfig', () => {
  describe('defaults', () => {
    it('are the documented ones when nothing is configured', () => {
      const config = loadConfig({}, {}, configProject());
      expect(config).toEqual(DEFAULT_CONFIG);
      expect(config).toMatchObject({
        environment: 'development',
        trackingUri: './logbook.db',
        logLevel: 'silent',
        maxArtifactSize: 5 * 1024 ** 3,
        modelRegistryEnabled: true,
        experimentAutoLogging: true,
        artifactCompression: false,
        authenticationEnabled: false,
        logging: { maxBatchSize: 1000, flushIntervalMs: 1000, maxBufferedPoints: 1_000_000, drainOnExit: true, exitDrainTimeoutMs: 10_000 },
        spool: { enabled: true, path: './logbook-spool.db', failoverMs: 10_000 },
      });
      // No backend package is loaded here: their sections (http, s3, databaseUrl) are absent.
      expect(Object.keys(config).sort()).toEqual(Object.keys(DEFAULT_CONFIG).sort());
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
      const config = loadConfig({}, {}, configProject(file));
      expect(config.trackingUri).toBe('./file.db');
      expect(config.logging).toMatchObject({ maxBatchSize: 100, flushIntervalMs: 50, drainOnExit: true });
    });

    it('spool settings come from LOGBOOK_SPOOL_* over the file', () => {
      const env = { LOGBOOK_SPOOL_PATH: '/data/spool.db', LOGBOOK_SPOOL_ENABLED: 'false' };
      const config = loadConfig({}, env, configProject({ spool: { path: './file-spool.db', failoverMs: 500 } }));
      expect(config.spool).toEqual({ enabled: false, path: '/data/spool.db', failoverMs: 500 });
    });

    it('the profile of the environment beats the file top level', () => {
      const config = loadConfig({}, { LOGBOOK_ENV: 'production' }, configProject(file));
      expect(config.environment).toBe('production');
      expect(config.trackingUri).toBe('https://prod.example');
      expect(config.logging).toMatchObject({ maxBatchSize: 200, flushIntervalMs: 50 });
      expect(config.logLevel).toBe('warn');
    });

    it('the environment beats the file profile', () => {
      const config = loadConfig({}, { LOGBOOK_ENV: 'production', LOGBOOK_MAX_BATCH_SIZE: '300', MLFLOW_TRACKING_URI: 'http://env:5000' }, configProject(file));
      expect(config.logging.maxBatchSize).toBe(300);
      expect(config.trackingUri).toBe('http://env:5000');
    });

    it('explicit options beat the environment, section by section', () => {
      const config = loadConfig(
        { environment: 'production', logging: { maxBatchSize: 400 } },
        { LOGBOOK_ENV: 'staging', LOGBOOK_MAX_BATCH_SIZE: '300', LOGBOOK_FLUSH_INTERVAL_MS: '70' },
        configProject(file),
      );
      expect(config.environment).toBe('production');
      expect(config.trackingUri).toBe('https://prod.example');
      expect(config.logging).toMatchObject({ maxBatchSize: 400, flushIntervalMs: 70 });
    });

    it('LOGBOOK_* beats MLflow’s own variable for the same setting', () => {
      const config = loadConfig({}, { MLFLOW_TRACKING_URI: 'http://mlflow:5000', LOGBOOK_TRACKING_URI: 'sqlite:./a.db' }, configProject());
      expect(config.trackingUri).toBe('sqlite:./a.db');
    });

    it('reads the file named by LOGBOOK_CONFIG_FILE, relative to cwd', () => {
      const dir = configProject({ trackingUri: './other.db' }, 'custom.json');
      expect(loadConfig({}, { LOGBOOK_CONFIG_FILE: 'custom.json' }, dir).trackingUri).toBe('./other.db');
    });

    it('picks the environment from the file when neither option nor variable sets it', () => {
      const config = loadConfig({}, {}, configProject({ ...file, environment: 'production' }));
      expect(config.trackingUri).toBe('https://prod.example');
    });
  });

  describe('environment variables', () => {
    it('maps MLflow’s credential variables; its HTTP ones wait for @logbook/mlflow', () => {
      const config = loadConfig(
        {},
        {
          MLFLOW_TRACKING_USERNAME: 'ana',
          MLFLOW_TRACKING_PASSWORD: 'pw',
          MLFLOW_TRACKING_TOKEN: 'tok',
          MLFLOW_HTTP_REQUEST_MAX_RETRIES: '3',
          AWS_REGION: 'eu-west-1',
        },
        configProject(),
      );
      expect(config.credentials).toEqual({ username: 'ana', password: 'pw', token: 'tok' });
      // MLflow's and AWS's own variables are shared with other tools: ignored until a package registers them.
      expect(config).not.toHaveProperty('http');
      expect(config).not.toHaveProperty('s3');
    });

    it('maps the LOGBOOK_* settings, sizes with units included', () => {
      const config = loadConfig(
        {},
        {
          LOGBOOK_ARTIFACT_ROOT: 's3://b/p',
          LOGBOOK_MAX_ARTIFACT_SIZE: '2GiB',
          LOGBOOK_ARTIFACT_COMPRESSION: '1',
          LOGBOOK_LOG_LEVEL: 'debug',
          LOGBOOK_DRAIN_ON_EXIT: 'no',
        },
        configProject(),
      );
      expect(config).toMatchObject({
        artifactRoot: 's3://b/p',
        maxArtifactSize: 2 * 1024 ** 3,
        artifactCompression: true,
        logLevel: 'debug',
        logging: { drainOnExit: false },
      });
    });

    it('treats empty variables as unset', () => {
      expect(loadConfig({}, { LOGBOOK_TRACKING_URI: '', LOGBOOK_MAX_BATCH_SIZE: '' }, configProject()).trackingUri).toBe('./logbook.db');
    });
  });

  describe('invalid configuration', () => {
    it('names the variable of a bad number', () => {
      const e = configFailure(() => loadConfig({}, { LOGBOOK_MAX_BATCH_SIZE: 'lots' }, configProject()));
      expect(e.code).toBe('INVALID_CONFIGURATION');
      expect(e.field).toBe('logging.maxBatchSize');
      expect(e.message).toBe('[core] Invalid configuration: logging.maxBatchSize (from environment variable LOGBOOK_MAX_BATCH_SIZE) must be an integer from 1 to 1000, got "lots".');
    });

    it('rejects numbers out of range, fractions and bad sizes', () => {
      expect(configFailure(() => loadConfig({ logging: { maxBatchSize: 1001 } }, {}, configProject())).message).toMatch(/maxBatchSize \(from explicit options\) must be an integer from 1 to 1000/);
      expect(configFailure(() => loadConfig({}, { LOGBOOK_MAX_ARTIFACT_SIZE: '5 parsecs' }, configProject())).message).toMatch(/size in bytes/);
      expect(configFailure(() => loadConfig({ logging: { maxBufferedPoints: 10, maxBatchSize: 100 } }, {}, configProject())).field).toBe('logging.maxBufferedPoints');
    });

    it('names an unknown environment and the allowed ones', () => {
      const e = configFailure(() => loadConfig({}, { LOGBOOK_ENV: 'prod' }, configProject()));
      expect(e.message).toMatch(/environment \(from environment variable LOGBOOK_ENV\) must be one of development, staging, production, got "prod"/);
    });

    it('rejects a malformed tracking URI without echoing credentials', () => {
      const e = configFailure(() => loadConfig({}, { MLFLOW_TRACKING_URI: 'http://user:s3cret@' }, configProject()));
      expect(e.message).toMatch(/trackingUri \(from environment variable MLFLOW_TRACKING_URI\) is not a valid http URI/);
      expect(e.message).not.toContain('s3cret');
      expect(configFailure(() => loadConfig({ trackingUri: 'http//host:5000' }, {}, configProject())).message).toMatch(/missing ':'/);
      expect(configFailure(() => loadConfig({ trackingUri: '' }, {}, configProject())).message).toMatch(/must not be empty/);
    });

    it('never echoes a secret value', () => {
      const e = configFailure(() => loadConfig({ credentials: { password: 42 as unknown as string } }, {}, configProject()));
      expect(e.message).toBe('[core] Invalid configuration: credentials.password (from explicit options) must be a string, got number.');
    });

    it('names an unknown key and the file it is in', () => {
      const dir = configProject({ trackingUri: './a.db', logging: { maxBatchSzie: 5 } });
      const e = configFailure(() => loadConfig({}, {}, dir));
      expect(e.field).toBe('logging.maxBatchSzie');
      expect(e.message).toContain(join(dir, 'logbook.config.json'));
      expect(e.message).toMatch(/is not a known Logbook setting/);
    });

    it('refuses keys that are names of Object.prototype, not settings', () => {
      for (const key of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) {
        const e = configFailure(() => loadConfig({}, {}, configProject(`{ ${JSON.stringify(key)}: 5 }`)));
        expect(e.message).toMatch(new RegExp(`${key} \\(from .*\\) is not a known Logbook setting`));
      }
    });

    it('names an unknown profile and a bad value inside a profile', () => {
      expect(configFailure(() => loadConfig({}, {}, configProject({ profiles: { prod: {} } }))).message).toMatch(/profiles\.prod .* is not an environment/);
      const e = configFailure(() => loadConfig({}, {}, configProject({ profiles: { staging: { logLevel: 'loud' } } })));
      expect(e.message).toMatch(/logLevel \(from .*logbook\.config\.json \(profiles\.staging\)\) must be one of silent, error, warn, info, debug/);
    });

    it('reports malformed JSON and a missing LOGBOOK_CONFIG_FILE', () => {
      expect(configFailure(() => loadConfig({}, {}, configProject('{ nope'))).message).toMatch(/is not valid JSON/);
      expect(configFailure(() => loadConfig({}, { LOGBOOK_CONFIG_FILE: 'missing.json' }, configProject())).message).toMatch(/LOGBOOK_CONFIG_FILE .* does not exist/);
    });

    it('names the package to install for a key of a backend section that is not loaded', () => {
      const explicit = configFailure(() => loadConfig({ http: { maxRetries: 3 } } as never, {}, configProject()));
      expect(explicit.field).toBe('http');
      expect(explicit.message).toBe(
        '[core] Invalid configuration: http (from explicit options) is a setting of @logbook/mlflow, which is not loaded: install it (pnpm add @logbook/mlflow) or import it before loading the configuration.',
      );
      const dir = configProject({ profiles: { production: { s3: { bucket: 'b' } } } });
      const inFile = configFailure(() => loadConfig({}, {}, dir));
      expect(inFile.message).toMatch(/s3 \(from .*profiles\.production\)\) is a setting of @logbook\/s3/);
      const fromEnv = configFailure(() => loadConfig({}, { LOGBOOK_S3_BUCKET: 'runs' }, configProject()));
      expect(fromEnv.message).toMatch(/s3 \(from environment variable LOGBOOK_S3_BUCKET\) is a setting of @logbook\/s3/);
      expect(configFailure(() => loadConfig({ databaseUrl: 'postgresql://h/db' } as never, {}, configProject())).message).toMatch(/databaseUrl .* @logbook\/mlflow/);
      // A key no package owns is still just unknown.
      expect(configFailure(() => loadConfig({ htttp: {} } as never, {}, configProject())).message).toMatch(/htttp .* is not a known Logbook setting/);
    });
  });
});

describe('scanConfig', () => {
  it('skips the keys of backend packages that are not loaded and names the packages', () => {
    const dir = configProject({ trackingUri: 'https://mlflow.example', http: { maxRetries: 3 } });
    const { config, missing } = scanConfig({ logging: { maxBatchSize: 10 } }, { LOGBOOK_S3_BUCKET: 'runs', MLFLOW_HTTP_REQUEST_TIMEOUT: '5' }, dir);
    expect(config.trackingUri).toBe('https://mlflow.example');
    expect(config.logging.maxBatchSize).toBe(10);
    expect([...missing].sort()).toEqual(['@logbook/mlflow', '@logbook/s3']);
  });

  it('still refuses a bad value of a core key', () => {
    expect(configFailure(() => scanConfig({}, { LOGBOOK_MAX_BATCH_SIZE: '0' }, configProject())).field).toBe('logging.maxBatchSize');
  });
});
