import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import { createLogbook } from '@logbook/core';
import { expectCode, uniqueName } from '@logbook/testkit';
import { MlflowStore } from '../../src/index.js';
import { describeLive, live } from '../helpers/live.js';
import { TlsProxy, createTestCertificates, removeTestCertificates } from '../helpers/tls-proxy.js';
import type { TestCertificates } from '../helpers/tls-proxy.js';

describeLive('HttpTransport over TLS (TLS-terminating proxy in front of the live server)', () => {
  let certs: TestCertificates;
  let proxy: TlsProxy;
  const stores: MlflowStore[] = [];
  const viaProxy = (http: object) => {
    const store = new MlflowStore({ trackingUri: proxy.uri, credentials: { token: 'tls-test-secret' }, http });
    stores.push(store);
    return store;
  };

  beforeAll(async () => {
    certs = await createTestCertificates();
  });
  afterAll(async () => {
    await removeTestCertificates(certs);
  });
  beforeEach(async () => {
    proxy = await TlsProxy.start(live().uri, certs);
  });
  afterEach(async () => {
    await Promise.all(stores.splice(0).map((s) => s.close()));
    await proxy.close();
  });

  it('talks https to a server whose CA is given as http.caCertPath', async () => {
    const store = viaProxy({ caCertPath: certs.caPath });
    const name = uniqueName('tls-ca');
    const id = await store.createExperiment({ name });
    expect(await store.getExperiment(id)).toMatchObject({ experimentId: id, name });
    expect(proxy.connections).toBeGreaterThanOrEqual(1);
  });

  it('fails an unverifiable certificate at once with a typed error, without retrying', async () => {
    // Short backoff: a transport that did retry would make 4 connections here, not hang.
    const store = viaProxy({ maxRetries: 3, backoffFactor: 0.01, backoffJitter: 0 });
    const error = await expectCode(store.searchExperiments({ maxResults: 1 }), 'INVALID_CONFIGURATION');
    expect(error.message).toMatch(/^\[mlflow\] The TLS certificate of the MLflow server at https:\/\/127\.0\.0\.1:\d+ could not be verified/);
    expect(error.message).toMatch(/http\.caCertPath/);
    expect(error.message).not.toMatch(/tls-test-secret/);
    expect(error).toMatchObject({ field: 'http.caCertPath' });
    expect(proxy.connections).toBe(1);
  });

  it('works without the CA when http.insecureTls is set', async () => {
    const store = viaProxy({ insecureTls: true });
    const id = await store.createExperiment({ name: uniqueName('tls-insecure') });
    expect((await store.getExperiment(id)).experimentId).toBe(id);
  });

  it('takes MLFLOW_TRACKING_SERVER_CERT_PATH and MLFLOW_TRACKING_INSECURE_TLS from the environment', async () => {
    const envs = [
      { MLFLOW_TRACKING_URI: proxy.uri, MLFLOW_TRACKING_SERVER_CERT_PATH: certs.caPath },
      { MLFLOW_TRACKING_URI: proxy.uri, MLFLOW_TRACKING_INSECURE_TLS: 'true' },
    ];
    for (const env of envs) {
      // No spool: the test looks at the MLflow store itself, not the spooling wrapper around it.
      const lb = await createLogbook({ spool: { enabled: false } }, { env });
      try {
        expect(lb.stores.tracking).toBeInstanceOf(MlflowStore);
        const { http } = (lb.stores.tracking as MlflowStore).transport;
        expect({ caCertPath: http.caCertPath, insecureTls: http.insecureTls }).toEqual(
          'MLFLOW_TRACKING_SERVER_CERT_PATH' in env ? { caCertPath: certs.caPath, insecureTls: false } : { caCertPath: undefined, insecureTls: true },
        );
        expect(await lb.tracker.getOrCreateExperiment(uniqueName('tls-env'))).toMatch(/^\d+$/);
      } finally {
        await lb.close();
      }
    }
  });
});
