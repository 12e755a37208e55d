import { configFailure, configProject } from '@logbook/testkit';
import { describe, expect, it } from 'vitest';
import { loadConfig, randomId, silentLogger } from '@logbook/core';
import { DEFAULT_HTTP, createMlflowBackend } from '../../src/index.js';
import type { MlflowStore } from '../../src/index.js';

// Importing @logbook/mlflow registered its `http` and `databaseUrl` settings with core's loader.
describe('the http and databaseUrl settings of @logbook/mlflow', () => {
  it('default to MLflow’s Python client’s', () => {
    const config = loadConfig({}, {}, configProject());
    expect(config.http).toEqual({ maxRetries: 7, backoffFactor: 2, backoffJitter: 1, requestTimeoutMs: 120_000, deadlineMs: 300_000, insecureTls: false });
    expect(config.http).toEqual(DEFAULT_HTTP);
    expect(Object.isFrozen(config.http)).toBe(true);
    expect(config.databaseUrl).toBeUndefined();
  });

  it('maps MLflow’s variables, converting seconds to milliseconds', () => {
    const config = loadConfig(
      {},
      {
        MLFLOW_HTTP_REQUEST_MAX_RETRIES: '3',
        MLFLOW_HTTP_REQUEST_BACKOFF_FACTOR: '0.5',
        MLFLOW_HTTP_REQUEST_BACKOFF_JITTER: '0',
        MLFLOW_HTTP_REQUEST_TIMEOUT: '2.5',
        MLFLOW_TRACKING_INSECURE_TLS: 'true',
        MLFLOW_TRACKING_SERVER_CERT_PATH: '/ca.pem',
      },
      configProject(),
    );
    expect(config.http).toMatchObject({ maxRetries: 3, backoffFactor: 0.5, backoffJitter: 0, requestTimeoutMs: 2500, insecureTls: true, caCertPath: '/ca.pem' });
  });

  it('follows the one precedence: explicit > LOGBOOK_* > MLflow’s variable > profile > file > defaults', () => {
    const dir = configProject({ http: { maxRetries: 1, deadlineMs: 1000 }, databaseUrl: 'sqlite:///file.db', profiles: { production: { http: { maxRetries: 2 } } } });
    expect(loadConfig({}, {}, dir).http).toMatchObject({ maxRetries: 1, deadlineMs: 1000, backoffFactor: 2 });
    expect(loadConfig({}, { LOGBOOK_ENV: 'production' }, dir).http.maxRetries).toBe(2);
    expect(loadConfig({}, { LOGBOOK_ENV: 'production', MLFLOW_HTTP_REQUEST_MAX_RETRIES: '4' }, dir).http.maxRetries).toBe(4);
    expect(loadConfig({}, { MLFLOW_HTTP_REQUEST_MAX_RETRIES: '4', LOGBOOK_HTTP_MAX_RETRIES: '5' }, dir).http.maxRetries).toBe(5);
    expect(loadConfig({ http: { maxRetries: 6 } }, { LOGBOOK_HTTP_MAX_RETRIES: '5' }, dir).http.maxRetries).toBe(6);
    expect(loadConfig({}, {}, dir).databaseUrl).toBe('sqlite:///file.db');
    expect(loadConfig({}, { LOGBOOK_DATABASE_URL: 'postgresql://localhost/db' }, dir).databaseUrl).toBe('postgresql://localhost/db');
  });

  it('rejects bad values naming the key and the variable, and never echoes the database URL', () => {
    expect(configFailure(() => loadConfig({}, { MLFLOW_HTTP_REQUEST_MAX_RETRIES: '1.5' }, configProject())).message).toMatch(
      /http\.maxRetries \(from environment variable MLFLOW_HTTP_REQUEST_MAX_RETRIES\) must be an integer from 0 to 100/,
    );
    expect(configFailure(() => loadConfig({ http: { deadlineMs: 0 } }, {}, configProject())).field).toBe('http.deadlineMs');
    expect(configFailure(() => loadConfig({}, {}, configProject({ http: { maxRetrys: 3 } }))).message).toMatch(/http\.maxRetrys .* is not a known Logbook setting/);
    const secret = configFailure(() => loadConfig({ databaseUrl: 42 as unknown as string }, {}, configProject()));
    expect(secret.message).toBe('[core] Invalid configuration: databaseUrl (from explicit options) must be a string, got number.');
  });
});

describe('createMlflowBackend with a spool behind it', () => {
  it('caps http.deadlineMs with the context’s callDeadlineMs (spool.failoverMs), never raises it', async () => {
    const config = loadConfig({ trackingUri: 'http://127.0.0.1:9', http: { deadlineMs: 60_000 } }, {}, configProject());
    const deadline = async (callDeadlineMs?: number) => {
      const backend = await createMlflowBackend(config, silentLogger, { now: Date.now, newId: randomId, ...(callDeadlineMs === undefined ? {} : { callDeadlineMs }) });
      const ms = (backend.tracking as MlflowStore).transport.http.deadlineMs;
      await backend.close();
      return ms;
    };
    expect(await deadline()).toBe(60_000);
    expect(await deadline(1500)).toBe(1500);
    expect(await deadline(600_000)).toBe(60_000);
  });
});
