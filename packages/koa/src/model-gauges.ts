import { Gauge } from 'prom-client';
import type { Registry } from 'prom-client';
import type { LiveModelStatus } from '@logbook/core';

/** Reads the live deployments and their judged metrics (core's `readLiveMonitoring` over the router's stores). */
export type ModelMonitoringSource = () => Promise<readonly LiveModelStatus[]>;

const LABELS = ['model', 'version', 'semver', 'environment', 'metric'] as const;
type Label = (typeof LABELS)[number];

/**
 * Gauges of live model monitoring, refreshed from the stores at each scrape, one series per
 * model, version, environment and live metric, so an Alertmanager rule such as
 * `logbook_model_metric_degraded == 1` fires while a deployed version is degraded:
 *
 * - `logbook_model_live_metric`: the latest live value logged on the deployment;
 * - `logbook_model_baseline_metric`: the value of the version's source run at registration;
 * - `logbook_model_metric_degradation`: `(baseline - live) / |baseline|` (reversed for
 *   lower-is-better metrics): positive is worse, 0.25 is 25 % worse;
 * - `logbook_model_metric_degradation_threshold`: the threshold it is judged by;
 * - `logbook_model_metric_degraded`: 1 past the threshold, else 0;
 * - `logbook_model_monitoring_up`: 1 when the last refresh read the stores, 0 when it failed
 *   (the series then keep their last values, so an outage of the store does not clear alerts).
 *
 * Metrics without a baseline have only the live series. Deployments that are no longer live
 * (retired, replaced, version deleted) drop out at the next scrape.
 */
export class ModelGauges {
  readonly #source: ModelMonitoringSource;
  readonly #live: Gauge<Label>;
  readonly #baseline: Gauge<Label>;
  readonly #degradation: Gauge<Label>;
  readonly #threshold: Gauge<Label>;
  readonly #degraded: Gauge<Label>;
  readonly #up: Gauge;

  constructor(registry: Registry, source: ModelMonitoringSource) {
    this.#source = source;
    const gauge = (name: string, help: string): Gauge<Label> => new Gauge({ name, help, labelNames: LABELS, registers: [registry] });
    this.#live = gauge('logbook_model_live_metric', 'Latest live value of a metric logged on a deployed model version.');
    this.#baseline = gauge('logbook_model_baseline_metric', "The metric's value in the version's source run (at registration).");
    this.#degradation = gauge('logbook_model_metric_degradation', 'Relative degradation of the live value against the baseline (positive is worse).');
    this.#threshold = gauge('logbook_model_metric_degradation_threshold', 'Degradation past which the metric counts as degraded.');
    this.#degraded = gauge('logbook_model_metric_degraded', '1 while the live metric is degraded past its threshold, else 0.');
    this.#up = new Gauge({ name: 'logbook_model_monitoring_up', help: '1 when the last scrape read the live deployments, 0 when it failed.', registers: [registry] });
  }

  /** Reads the stores and replaces every series; on failure keeps the last ones and sets `up` to 0. */
  async refresh(): Promise<void> {
    let statuses: readonly LiveModelStatus[];
    try {
      statuses = await this.#source();
    } catch {
      this.#up.set(0);
      return;
    }
    for (const g of [this.#live, this.#baseline, this.#degradation, this.#threshold, this.#degraded]) g.reset();
    for (const { deployment: d, checks, thresholds } of statuses) {
      for (const check of checks) {
        const labels = { model: d.modelName, version: d.version, semver: d.semver ?? '', environment: d.environment, metric: check.key };
        this.#live.set(labels, check.live);
        if (check.baseline === undefined || check.degradation === undefined) continue;
        this.#baseline.set(labels, check.baseline);
        this.#degradation.set(labels, check.degradation);
        this.#threshold.set(labels, thresholds[check.key] ?? 0.1);
        this.#degraded.set(labels, check.degraded ? 1 : 0);
      }
    }
    this.#up.set(1);
  }
}
