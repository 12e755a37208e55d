import { afterEach, beforeEach, expect, it } from 'vitest';
import { ViewType } from '@logbook/core';
import type { OperationalLogger } from '@logbook/core/spi';
import { expectCode, uniqueName } from '@logbook/testkit';
import { CLIENT_REQUEST_ID_TAG, MlflowStore } from '../../src/index.js';
import { FaultProxy } from '../helpers/fault-proxy.js';
import { describeLive, live } from '../helpers/live.js';

/** Records retries the transport reports. */
function recordingLogger(warnings: object[]): OperationalLogger {
  const logger: OperationalLogger = {
    error: () => {},
    info: () => {},
    debug: () => {},
    warn: (obj) => {
      warnings.push(obj);
    },
    child: () => logger,
  };
  return logger;
}

describeLive('HttpTransport retries (fault-injecting proxy in front of the live server)', () => {
  let proxy: FaultProxy;
  let direct: MlflowStore;
  let warnings: object[];
  const viaProxy = (http: object = {}) =>
    new MlflowStore({
      trackingUri: proxy.uri,
      http: { backoffFactor: 0.05, backoffJitter: 0, ...http },
      logger: recordingLogger(warnings),
    });

  beforeEach(async () => {
    proxy = await FaultProxy.start(live().uri);
    direct = new MlflowStore({ trackingUri: live().uri });
    warnings = [];
  });
  afterEach(async () => {
    await direct.close();
    await proxy.close();
  });

  it('retries dropped connections and succeeds', async () => {
    proxy.faults.push('reset', 'reset');
    const store = viaProxy();
    const id = await store.createExperiment({ name: uniqueName('retry-drop') });
    expect((await direct.getExperiment(id)).experimentId).toBe(id);
    expect(proxy.connections).toBeGreaterThanOrEqual(3);
    expect(warnings).toHaveLength(2);
    await store.close();
  });

  it('honours Retry-After on 503', async () => {
    proxy.faults.push({ status: 503, retryAfter: 1 });
    const store = viaProxy();
    await store.searchExperiments({ maxResults: 1 });
    expect(warnings).toEqual([expect.objectContaining({ delayMs: 1000, attempt: 1 })]);
    await store.close();
  });

  it('creates exactly one run when the response to runs/create is lost', async () => {
    const experimentId = await direct.createExperiment({ name: uniqueName('retry-create') });
    proxy.faults.push('lose-response');
    const store = viaProxy();
    const run = await store.createRun({ experimentId, runName: 'once' });
    const runs = await direct.searchRuns({ experimentIds: [experimentId], viewType: ViewType.ALL });
    expect(runs.items.map((r) => r.info.runId)).toEqual([run.info.runId]);
    expect(warnings.length).toBeGreaterThanOrEqual(1);
    // The request-id tag was only needed while the outcome was unknown.
    expect((await direct.getRun(run.info.runId)).data.tags[CLIENT_REQUEST_ID_TAG]).toBeUndefined();
    await store.close();
  });

  it('creates exactly one model version when the response to model-versions/create is lost', async () => {
    // Quotes: MLflow's filters cannot escape them, the lost version is found all the same.
    const name = uniqueName(`retry-version-o'brien-"6"`);
    await direct.createRegisteredModel({ name });
    proxy.faults.push('lose-response');
    const store = viaProxy();
    const version = await store.createModelVersion({ name, source: 's3://bucket/model', tags: { k: 'v' } });
    const versions = await direct.searchModelVersions({ filter: `name LIKE '${name.replace(/['"]/g, '_')}'` });
    expect(versions.items.map((v) => [v.name, v.version])).toEqual([[name, version.version]]);
    expect(warnings.length).toBeGreaterThanOrEqual(1);
    expect(version.tags).toEqual({ k: 'v' });
    expect((await direct.getModelVersion(name, version.version)).tags).toEqual({ k: 'v' });
    await store.close();
  });

  it('gives up after maxRetries with a typed TEMPORARILY_UNAVAILABLE error', async () => {
    proxy.faults.push('reset', 'reset', 'reset', 'reset');
    const store = viaProxy({ maxRetries: 2 });
    const error = await expectCode(store.searchExperiments({ maxResults: 1 }), 'TEMPORARILY_UNAVAILABLE');
    expect(error.message).toMatch(/after 3 attempt/);
    expect(proxy.connections).toBe(3);
    await store.close();
  });

  it('stops retrying when the next wait would pass deadlineMs', async () => {
    proxy.faults.push({ status: 503, retryAfter: 30 });
    const store = viaProxy({ deadlineMs: 2000 });
    await expectCode(store.searchExperiments({ maxResults: 1 }), 'TEMPORARILY_UNAVAILABLE');
    expect(proxy.connections).toBe(1);
    await store.close();
  });

  it('does not retry a final MLflow answer on a 5xx (INVALID_STATE renaming a deleted experiment)', async () => {
    const id = await direct.createExperiment({ name: uniqueName('retry-final') });
    await direct.deleteExperiment(id);
    const store = viaProxy();
    await expectCode(store.renameExperiment(id, uniqueName('renamed')), 'INVALID_STATE');
    expect(warnings).toHaveLength(0);
    await store.close();
  });
});
