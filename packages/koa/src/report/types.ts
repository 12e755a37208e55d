import type { RunStatus } from '@logbook/core';
import type { RegistryStore } from '@logbook/core/spi';

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
  /** Where to find the registered models of the runs and their deployments. @default none: no model view */
  readonly registry?: RegistryStore;
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
  /** Registered models with a version from one of the runs (empty without a registry). */
  readonly models: readonly ReportModel[];
  /** Why the registered models could not be read (registry switched off or unreachable); the runs are shown all the same. */
  readonly modelsUnavailable?: string;
}

/** One version of a registered model in a report. */
export interface ReportModelVersion {
  readonly version: string;
  readonly stage: string;
  readonly aliases: readonly string[];
  /** `logbook.semver` tag. */
  readonly semver?: string;
  /** `logbook.parentVersion` tag: the version it derives from (lineage). */
  readonly parentVersion?: string;
  readonly runId?: string;
  /** True when its source run is one of the report's runs. */
  readonly inReport: boolean;
  readonly createdAt: number;
}

/** One deployment event (a run of `logbook/deployments`) and its live metric curves. */
export interface ReportDeployment {
  /** The deployment run's id. */
  readonly runId: string;
  readonly version: string;
  readonly semver?: string;
  readonly environment: string;
  /** `pending`, `deployed`, `failed` or `retired`. */
  readonly status: string;
  /** `deploy` or `rollback`. */
  readonly kind: string;
  readonly by: string;
  /** Milliseconds since the epoch. */
  readonly at: number;
  /** Live metric histories logged on the event, by metric key. */
  readonly live: Readonly<Record<string, ReportSeries>>;
}

/** A registered model touched by the report's runs: its versions and deployments. */
export interface ReportModel {
  readonly name: string;
  /** Every version of the model, lowest number first. */
  readonly versions: readonly ReportModelVersion[];
  /** Deployment events, oldest first. */
  readonly deployments: readonly ReportDeployment[];
}
