import type { RunStatus } from '@logbook/core';

/** Which runs a report shows. Empty selection: every run of every active experiment. */
export interface ReportSelection {
  /** Experiments by name; their runs (narrowed by `filter`) are shown. */
  readonly experiments?: readonly string[];
  /** Runs by id, shown whatever `filter` says. */
  readonly runIds?: readonly string[];
  /** MLflow search filter applied to the experiments' runs, e.g. `metrics.loss < 1`. */
  readonly filter?: string;
}

/** Limits of {@link collectReport}. */
export interface ReportOptions {
  /** Points kept per series (LTTB) for display. @default 2000 */
  readonly maxPointsPerSeries?: number;
  /** Points kept over all series, so the file stays small (≤ 10 MB at 100 runs × 10 metrics). @default 300000 */
  readonly maxPointsTotal?: number;
  /** Page size of metric-history reads. @default 10000 */
  readonly historyPageSize?: number;
  /** At most this many runs. @default 1000 */
  readonly maxRuns?: number;
  /** Report time (ms since the epoch). @default Date.now() */
  readonly generatedAt?: number;
}

/** One run in a report. */
export interface ReportRun {
  readonly runId: string;
  readonly runName: string;
  readonly experimentId: string;
  readonly experimentName: string;
  readonly status: RunStatus;
  readonly startTime: number;
  readonly endTime?: number;
  /** `mlflow.parentRunId` tag. */
  readonly parentRunId?: string;
  readonly params: Readonly<Record<string, string>>;
  /** Latest value of each metric key. */
  readonly latest: Readonly<Record<string, number>>;
}

/** One run's history of one metric key, possibly downsampled; parallel arrays. */
export interface ReportSeries {
  readonly runId: string;
  readonly steps: readonly number[];
  /** Milliseconds since the epoch. */
  readonly timestamps: readonly number[];
  readonly values: readonly (number | null)[];
  /** Points stored; more than `values.length` when downsampled. */
  readonly storedPoints: number;
}

/** One chart: a metric key and the series of every run that logged it. */
export interface ReportChart {
  readonly key: string;
  readonly series: readonly ReportSeries[];
}

/** Everything the HTML page shows. */
export interface ReportData {
  readonly generatedAt: number;
  readonly selection: ReportSelection;
  readonly runs: readonly ReportRun[];
  readonly charts: readonly ReportChart[];
  /** Per-series point cap used. */
  readonly pointsPerSeries: number;
  /** Series shown with fewer points than stored. */
  readonly downsampledSeries: number;
}
