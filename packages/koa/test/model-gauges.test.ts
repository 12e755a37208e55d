import { afterEach, describe, expect, it } from 'vitest';
import { ModelRegistry, ModelVersioning } from '@logbook/core';
import type { TrackingStore } from '@logbook/core/spi';
import { LocalArtifactStore, SqliteStore } from '@logbook/sqlite';
import { createLogbookRouter } from '../src/index.js';
import { closeRouters, listenRouter } from './listen.js';

afterEach(closeRouters);

/** `name{labels} value` samples of one metric, keyed by `model/version/environment/metric`. */
function samples(text: string, name: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`)) continue;
    const labels = Object.fromEntries([...line.matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]));
    out[`${labels.model}/${labels.version}/${labels.semver}/${labels.environment}/${labels.metric}`] = Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return out;
}

async function start(tracking: TrackingStore, store: SqliteStore, modelMonitoring?: { lowerIsBetter: string[] }): Promise<() => Promise<string>> {
  const router = createLogbookRouter({
    stores: { tracking, registry: store, artifacts: new LocalArtifactStore() },
    auth: { authenticators: [], anonymousRole: 'reader' },
    ...(modelMonitoring && { modelMonitoring }),
    onServerError: () => undefined,
  });
  const url = `${await listenRouter(router)}/metrics`;
  return async () => {
    const res = await fetch(url);
    expect(res.status).toBe(200);
    return res.text();
  };
}

describe('/metrics model monitoring gauges', () => {
  it('exposes live value, baseline and degradation per model, version, environment and metric, following deployments', async () => {
    const store = new SqliteStore({ path: ':memory:' });
    const artifacts = new LocalArtifactStore();
    try {
      const registry = new ModelRegistry(store);
      const versioning = new ModelVersioning(registry, store, artifacts, () => undefined);
      const exp = await store.createExperiment({ name: 'train' });
      const trained = async (precision: number, latency: number) => {
        const run = await store.createRun({ experimentId: exp });
        await store.logBatch(run.info.runId, {
          metrics: [
            { key: 'precision', value: precision, timestamp: 1, step: 0 },
            { key: 'latency_ms', value: latency, timestamp: 1, step: 0 },
          ],
        });
        return run.info.runId;
      };
      const v1 = await versioning.createModelVersion('detector "α"', Buffer.from('v1'), { runId: await trained(0.9, 100), codeVersion: false });
      const v2 = await versioning.createModelVersion('detector "α"', Buffer.from('v2'), { runId: await trained(0.8, 50), codeVersion: false });
      const scrape = await start(store, store, { lowerIsBetter: ['latency_ms'] });

      expect(samples(await scrape(), 'logbook_model_live_metric')).toEqual({});
      expect(await scrape()).toMatch(/^logbook_model_monitoring_up 1$/m);

      await versioning.recordDeployment('detector "α"', v1, { environment: 'production', status: 'deployed', by: 'ci' });
      await versioning.logLiveMetrics('detector "α"', v1, 'production', { precision: 0.63, latency_ms: 105, throughput: 12 });
      let text = await scrape();
      const key = (metric: string) => `detector \\"α\\"/1/${v1}/production/${metric}`;
      expect(samples(text, 'logbook_model_live_metric')).toEqual({ [key('precision')]: 0.63, [key('latency_ms')]: 105, [key('throughput')]: 12 });
      expect(samples(text, 'logbook_model_baseline_metric')).toEqual({ [key('precision')]: 0.9, [key('latency_ms')]: 100 });
      const degradation = samples(text, 'logbook_model_metric_degradation');
      expect(degradation[key('precision')]).toBeCloseTo(0.3, 10);
      expect(degradation[key('latency_ms')]).toBeCloseTo(0.05, 10);
      expect(samples(text, 'logbook_model_metric_degraded')).toEqual({ [key('precision')]: 1, [key('latency_ms')]: 0 });
      expect(samples(text, 'logbook_model_metric_degradation_threshold')).toEqual({ [key('precision')]: 0.1, [key('latency_ms')]: 0.1 });

      // Newer live values replace the old ones; a rollback to v2 takes v1's series away.
      await versioning.logLiveMetrics('detector "α"', v1, 'production', { precision: 0.88 });
      expect(samples(await scrape(), 'logbook_model_metric_degraded')[key('precision')]).toBe(0);
      await versioning.rollbackModelVersion('detector "α"', v2);
      await versioning.logLiveMetrics('detector "α"', v2, 'production', { latency_ms: 80 });
      text = await scrape();
      const key2 = `detector \\"α\\"/2/${v2}/production/latency_ms`;
      expect(samples(text, 'logbook_model_live_metric')).toEqual({ [key2]: 80 });
      expect(samples(text, 'logbook_model_metric_degradation')[key2]).toBeCloseTo(0.6, 10);
      expect(samples(text, 'logbook_model_metric_degraded')).toEqual({ [key2]: 1 });

      // Retired: nothing is live.
      await versioning.recordDeployment('detector "α"', v2, { environment: 'production', status: 'retired', by: 'ci' });
      expect(samples(await scrape(), 'logbook_model_live_metric')).toEqual({});
    } finally {
      await store.close();
      await artifacts.close();
    }
  });

  it('keeps the last series and reports monitoring_up 0 while the store cannot be read', async () => {
    const store = new SqliteStore({ path: ':memory:' });
    const artifacts = new LocalArtifactStore();
    let failing = false;
    const flaky = new Proxy(store, {
      get(target, property) {
        if (property === 'searchRuns' && failing) return () => Promise.reject(new Error('store down'));
        const value = Reflect.get(target, property) as unknown;
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    }) as TrackingStore;
    try {
      const versioning = new ModelVersioning(new ModelRegistry(store), store, artifacts, () => undefined);
      const exp = await store.createExperiment({ name: 'train' });
      const run = await store.createRun({ experimentId: exp });
      await store.logBatch(run.info.runId, { metrics: [{ key: 'recall', value: 0.8, timestamp: 1, step: 0 }] });
      const v = await versioning.createModelVersion('m', Buffer.from('m'), { runId: run.info.runId, codeVersion: false });
      await versioning.recordDeployment('m', v, { environment: 'edge', status: 'deployed', by: 'ci' });
      await versioning.logLiveMetrics('m', v, 'edge', { recall: 0.4 });
      const scrape = await start(flaky, store);
      expect(samples(await scrape(), 'logbook_model_metric_degraded')).toEqual({ [`m/1/${v}/edge/recall`]: 1 });
      failing = true;
      const text = await scrape();
      expect(text).toMatch(/^logbook_model_monitoring_up 0$/m);
      expect(samples(text, 'logbook_model_metric_degraded')).toEqual({ [`m/1/${v}/edge/recall`]: 1 });
    } finally {
      await store.close();
      await artifacts.close();
    }
  });
});
