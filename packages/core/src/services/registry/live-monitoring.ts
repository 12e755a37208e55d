import type { RegistryStore } from '../../contracts/registry-store.js';
import type { TrackingStore } from '../../contracts/tracking-store.js';
import { isLogbookError } from '../../errors.js';
import type { Deployment } from './deployments.js';
import { liveByEnvironment, readAllDeployments } from './deployments.js';
import { checkDegradation } from './monitoring.js';
import type { MetricCheck, MonitoringOptions } from './monitoring.js';

/** One live deployment with its latest live metrics judged against the version's registration. */
export interface LiveModelStatus {
  readonly deployment: Deployment;
  /** Per live metric: value, baseline (the source run's latest), relative degradation, verdict. */
  readonly checks: readonly MetricCheck[];
  /** Threshold applied to each metric of `checks`. */
  readonly thresholds: Readonly<Record<string, number>>;
}

/**
 * Every deployment live now (per model and environment, as `getLiveVersions` decides) with its
 * latest live metrics compared with the version's source-run metrics by `options` (the rule of
 * `ModelVersioning.logLiveMetrics`). Read from the stores, so it holds whichever process logged
 * the metrics. A live version deleted from the registry since is left out.
 */
export async function readLiveMonitoring(tracking: TrackingStore, registry: RegistryStore, options: MonitoringOptions = {}): Promise<LiveModelStatus[]> {
  const events = await readAllDeployments(tracking);
  const byModel = new Map<string, Deployment[]>();
  for (const event of events) byModel.set(event.modelName, [...(byModel.get(event.modelName) ?? []), event]);
  const statuses: LiveModelStatus[] = [];
  for (const [name, history] of [...byModel].sort(([a], [b]) => a.localeCompare(b))) {
    for (const deployment of Object.values(liveByEnvironment(history))) {
      const version = await missingAsUndefined(() => registry.getModelVersion(name, deployment.version));
      if (version === undefined) continue;
      const source = version.runId === undefined || version.runId === '' ? undefined : await missingAsUndefined(() => tracking.getRun(version.runId!));
      const baseline = Object.fromEntries((source?.data.metrics ?? []).map((m) => [m.key, m.value]));
      const { checks } = checkDegradation(deployment.liveMetrics, baseline, options);
      const thresholds = Object.fromEntries(checks.map((c) => [c.key, options.thresholds?.[c.key] ?? options.threshold ?? 0.1]));
      statuses.push({ deployment, checks, thresholds });
    }
  }
  return statuses;
}

async function missingAsUndefined<T>(read: () => Promise<T>): Promise<T | undefined> {
  try {
    return await read();
  } catch (error) {
    if (isLogbookError(error, 'RESOURCE_DOES_NOT_EXIST')) return undefined;
    throw error;
  }
}
