import type { TrackingStore } from '../../contracts/tracking-store.js';
import { LogbookError } from '../../errors.js';
import { RunStatus } from '../../model/enums.js';
import type { Run } from '../../model/run.js';
import type { ModelVersion } from '../../model/registry.js';
import { collectPages, filterString } from '../paging.js';
import { ensureExperiment } from './experiments.js';
import { DEPLOYMENTS_EXPERIMENT, SEMVER_TAG } from './tags.js';

/** Where a deployment stands. `deployed` makes the version live in its environment; `retired` leaves the environment empty. */
export type DeploymentStatus = 'pending' | 'deployed' | 'failed' | 'retired';

const STATUSES: readonly DeploymentStatus[] = ['pending', 'deployed', 'failed', 'retired'];

/** Input of {@link ModelVersioning.recordDeployment}. */
export interface DeploymentInput {
  /** e.g. `production`, `staging`, `observatory-2`. */
  readonly environment: string;
  readonly status: DeploymentStatus;
  /** Who deployed it (user or pipeline). */
  readonly by: string;
  /** Where it serves, if anywhere. */
  readonly url?: string;
}

/** One deployment event, stored as one run of the `logbook/deployments` experiment. */
export interface Deployment {
  /** The run holding the event (its live metrics are logged on it). */
  readonly id: string;
  readonly modelName: string;
  readonly version: string;
  readonly semver?: string;
  readonly environment: string;
  readonly status: DeploymentStatus;
  readonly by: string;
  readonly url?: string;
  /** `deploy`, or `rollback` for {@link ModelVersioning.rollbackModelVersion}. */
  readonly kind: 'deploy' | 'rollback';
  /** Versions this one replaced in Production (rollbacks). */
  readonly replaced: readonly string[];
  /** Milliseconds since the epoch. */
  readonly at: number;
  /** Latest live metrics logged on it. */
  readonly liveMetrics: Readonly<Record<string, number>>;
}

/** Tags of a deployment run. */
export const DEPLOYMENT_TAGS = {
  model: 'logbook.deployment.model',
  version: 'logbook.deployment.version',
  semver: 'logbook.deployment.semver',
  environment: 'logbook.deployment.environment',
  status: 'logbook.deployment.status',
  by: 'logbook.deployment.by',
  url: 'logbook.deployment.url',
  kind: 'logbook.deployment.kind',
  replaced: 'logbook.deployment.replaced',
} as const;

let lastStart = 0;

/** A start time after every other this process gave, so events order even within one millisecond. */
function nextStartTime(): number {
  lastStart = Math.max(Date.now(), lastStart + 1);
  return lastStart;
}

/** Writes one deployment event. */
export async function writeDeployment(
  tracking: TrackingStore,
  version: ModelVersion,
  input: DeploymentInput,
  extra: { readonly kind?: 'deploy' | 'rollback'; readonly replaced?: readonly string[] } = {},
): Promise<Deployment> {
  if (!STATUSES.includes(input.status)) {
    throw new LogbookError('INVALID_PARAMETER_VALUE', `[core] Unknown deployment status '${String(input.status)}': expected one of ${STATUSES.join(', ')}.`, { field: 'status' });
  }
  for (const key of ['environment', 'by'] as const) {
    if (typeof input[key] !== 'string' || input[key].trim() === '') {
      throw new LogbookError('INVALID_PARAMETER_VALUE', `[core] A deployment needs a non-empty ${key}.`, { field: key });
    }
  }
  const experimentId = await ensureExperiment(tracking, DEPLOYMENTS_EXPERIMENT);
  const semver = version.tags[SEMVER_TAG];
  const tags: Record<string, string> = {
    [DEPLOYMENT_TAGS.model]: version.name,
    [DEPLOYMENT_TAGS.version]: version.version,
    [DEPLOYMENT_TAGS.environment]: input.environment,
    [DEPLOYMENT_TAGS.status]: input.status,
    [DEPLOYMENT_TAGS.by]: input.by,
    [DEPLOYMENT_TAGS.kind]: extra.kind ?? 'deploy',
    'mlflow.user': input.by,
    ...(semver === undefined ? {} : { [DEPLOYMENT_TAGS.semver]: semver }),
    ...(input.url === undefined ? {} : { [DEPLOYMENT_TAGS.url]: input.url }),
    ...(extra.replaced === undefined || extra.replaced.length === 0 ? {} : { [DEPLOYMENT_TAGS.replaced]: extra.replaced.join(',') }),
  };
  const startTime = nextStartTime();
  const run = await tracking.createRun({
    experimentId,
    runName: `${version.name} v${version.version} ${input.environment} ${input.status}`,
    startTime,
    tags,
    userId: input.by,
  });
  // Deployed runs stay RUNNING while live metrics come in; the others are finished events.
  if (input.status !== 'deployed') await tracking.updateRun(run.info.runId, { status: input.status === 'failed' ? RunStatus.FAILED : RunStatus.FINISHED, endTime: startTime });
  return toDeployment({ ...run, data: { ...run.data, tags: { ...run.data.tags, ...tags } } });
}

/** Deployment events of `modelName` (optionally one version and/or environment), newest first. */
export async function readDeployments(tracking: TrackingStore, modelName: string, where: { readonly environment?: string; readonly version?: string } = {}): Promise<Deployment[]> {
  const experiment = await tracking.getExperimentByName(DEPLOYMENTS_EXPERIMENT);
  if (experiment === undefined) return [];
  const clauses = [`tags.\`${DEPLOYMENT_TAGS.model}\` = ${filterString(modelName)}`];
  if (where.environment !== undefined) clauses.push(`tags.\`${DEPLOYMENT_TAGS.environment}\` = ${filterString(where.environment)}`);
  if (where.version !== undefined) clauses.push(`tags.\`${DEPLOYMENT_TAGS.version}\` = ${filterString(where.version)}`);
  const runs = await collectPages((page) => tracking.searchRuns({ ...page, experimentIds: [experiment.experimentId], filter: clauses.join(' and ') }));
  return runs
    .map(toDeployment)
    .filter((d) => d.modelName === modelName)
    .sort((a, b) => b.at - a.at || b.id.localeCompare(a.id));
}

/** Every deployment event of every model, newest first (what the `/metrics` gauges read). */
export async function readAllDeployments(tracking: TrackingStore): Promise<Deployment[]> {
  const experiment = await tracking.getExperimentByName(DEPLOYMENTS_EXPERIMENT);
  if (experiment === undefined) return [];
  const runs = await collectPages((page) => tracking.searchRuns({ ...page, experimentIds: [experiment.experimentId] }));
  return runs
    .map(toDeployment)
    .filter((d) => d.modelName !== '')
    .sort((a, b) => b.at - a.at || b.id.localeCompare(a.id));
}

/**
 * The version live in each environment: per environment, the newest event decides (`deployed`: that
 * version; `retired`: none); `pending` and `failed` events leave the previous live version live.
 */
export function liveByEnvironment(history: readonly Deployment[]): Record<string, Deployment> {
  const live: Record<string, Deployment> = {};
  const decided = new Set<string>();
  for (const event of history) {
    if (decided.has(event.environment)) continue;
    if (event.status === 'deployed') live[event.environment] = event;
    if (event.status === 'deployed' || event.status === 'retired') decided.add(event.environment);
  }
  return live;
}

function toDeployment(run: Run): Deployment {
  const tags = run.data.tags;
  const url = tags[DEPLOYMENT_TAGS.url];
  const semver = tags[DEPLOYMENT_TAGS.semver];
  const replaced = tags[DEPLOYMENT_TAGS.replaced];
  return {
    id: run.info.runId,
    modelName: tags[DEPLOYMENT_TAGS.model] ?? '',
    version: tags[DEPLOYMENT_TAGS.version] ?? '',
    environment: tags[DEPLOYMENT_TAGS.environment] ?? '',
    status: (tags[DEPLOYMENT_TAGS.status] ?? 'pending') as DeploymentStatus,
    by: tags[DEPLOYMENT_TAGS.by] ?? run.info.userId,
    kind: tags[DEPLOYMENT_TAGS.kind] === 'rollback' ? 'rollback' : 'deploy',
    replaced: replaced === undefined ? [] : replaced.split(','),
    at: run.info.startTime,
    liveMetrics: Object.fromEntries(run.data.metrics.map((m) => [m.key, m.value])),
    ...(semver === undefined ? {} : { semver }),
    ...(url === undefined ? {} : { url }),
  };
}
