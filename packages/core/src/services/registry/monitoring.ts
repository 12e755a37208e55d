import type { DegradedMetric } from './alert-sink.js';

/** How live metrics are judged against the metrics the version had at registration. */
export interface MonitoringOptions {
  /** Relative degradation that raises an alert (0.1 = 10 % worse than at registration). @default 0.1 */
  readonly threshold?: number;
  /** Per-metric thresholds overriding `threshold`. */
  readonly thresholds?: Readonly<Record<string, number>>;
  /** Metrics where lower is better (loss, error rate, latency); all others: higher is better. */
  readonly lowerIsBetter?: readonly string[];
}

/** One live metric next to its baseline. */
export interface MetricCheck {
  readonly key: string;
  readonly live: number;
  /** Absent when the source run has no such metric (nothing to compare with). */
  readonly baseline?: number;
  readonly degradation?: number;
  readonly degraded: boolean;
}

/** Compares each live metric with its baseline; a metric without baseline is never degraded. */
export function checkDegradation(
  live: Readonly<Record<string, number>>,
  baseline: Readonly<Record<string, number>>,
  options: MonitoringOptions,
): { readonly checks: MetricCheck[]; readonly degraded: DegradedMetric[] } {
  const checks: MetricCheck[] = [];
  const degraded: DegradedMetric[] = [];
  const lower = new Set(options.lowerIsBetter ?? []);
  for (const [key, value] of Object.entries(live)) {
    const base = baseline[key];
    if (base === undefined || !Number.isFinite(base) || !Number.isFinite(value)) {
      checks.push({ key, live: value, degraded: false });
      continue;
    }
    const worse = lower.has(key) ? value - base : base - value;
    const degradation = base === 0 ? worse : worse / Math.abs(base);
    const threshold = options.thresholds?.[key] ?? options.threshold ?? 0.1;
    const isDegraded = degradation > threshold;
    checks.push({ key, live: value, baseline: base, degradation, degraded: isDegraded });
    if (isDegraded) degraded.push({ key, baseline: base, live: value, degradation, threshold });
  }
  return { checks, degraded };
}
