import { InvalidArgumentError } from 'commander';

/** Semver parts `--bump` accepts. */
export const BUMPS = ['major', 'minor', 'patch'] as const;

/** Commander option parser of `--bump`. */
export function bumpValue(value: string): (typeof BUMPS)[number] {
  const found = BUMPS.find((b) => b === value.toLowerCase());
  if (found === undefined) throw new InvalidArgumentError(`expected one of ${BUMPS.join(', ')}, got '${value}'.`);
  return found;
}

/** Deployment statuses `models deploy --status` accepts (core's `DeploymentStatus`). */
export const DEPLOYMENT_STATUSES = ['pending', 'deployed', 'failed', 'retired'] as const;

/** Commander option parser of `--status` of `models deploy`. */
export function deploymentStatus(value: string): (typeof DEPLOYMENT_STATUSES)[number] {
  const found = DEPLOYMENT_STATUSES.find((s) => s === value.toLowerCase());
  if (found === undefined) throw new InvalidArgumentError(`expected one of ${DEPLOYMENT_STATUSES.join(', ')}, got '${value}'.`);
  return found;
}

/**
 * Commander option parser of a repeatable `--metric key=value`: a finite number, the key up to
 * the last `=` (metric keys may not contain one anyway).
 */
export function metricPair(value: string, previous: Readonly<Record<string, number>>): Record<string, number> {
  const at = value.lastIndexOf('=');
  const key = at <= 0 ? '' : value.slice(0, at);
  const raw = at < 0 ? '' : value.slice(at + 1).trim();
  const number = Number(raw);
  if (key === '' || raw === '' || !Number.isFinite(number)) {
    throw new InvalidArgumentError(`expected key=number, e.g. recall=0.91, got '${value}'.`);
  }
  return { ...previous, [key]: number };
}

/** Commander option parser of a threshold: a fraction in (0, 1]. */
export function fraction(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n <= 0 || n > 1) {
    throw new InvalidArgumentError(`expected a fraction above 0 and at most 1 (0.1 = 10 % worse), got '${value}'.`);
  }
  return n;
}

/**
 * The scheme of a model source given as a URI (`runs:/…`, `s3://…`, `mlflow-artifacts:/…`), or
 * undefined for a file path. One-letter schemes are Windows drive letters, hence files.
 */
export function sourceScheme(source: string): string | undefined {
  const match = /^([a-z][a-z0-9+.-]+):/i.exec(source);
  return match === null ? undefined : match[1]!.toLowerCase();
}

/** One input dataset of `--dataset`, as core's `DatasetRef`. */
export interface DatasetOption {
  readonly name: string;
  readonly digest: string;
  readonly source: string;
}

/**
 * Commander option parser of a repeatable `--dataset <name>,<digest>,<source>`: the source is
 * everything after the second comma (URIs may hold commas).
 */
export function datasetValue(value: string, previous: readonly DatasetOption[]): DatasetOption[] {
  const first = value.indexOf(',');
  const second = first < 0 ? -1 : value.indexOf(',', first + 1);
  const [name, digest, source] = second < 0 ? ['', '', ''] : [value.slice(0, first).trim(), value.slice(first + 1, second).trim(), value.slice(second + 1).trim()];
  if (name === '' || digest === '' || source === '') {
    throw new InvalidArgumentError(`expected <name>,<digest>,<source>, e.g. nights-2026-11,sha256:9f2c…,s3://survey/nights/2026-11, got '${value}'.`);
  }
  return [...previous, { name, digest, source }];
}
