import { InvalidArgumentError } from 'commander';

/** The statuses `runs end` can set (MLflow's terminal statuses). */
export const END_STATUSES = ['KILLED', 'FAILED', 'FINISHED'] as const;

/** One of {@link END_STATUSES}. */
export type EndStatus = (typeof END_STATUSES)[number];

/** Commander option parser of `--status`: a terminal status, any case. */
export function endStatus(value: string): EndStatus {
  const upper = value.toUpperCase();
  const found = END_STATUSES.find((s) => s === upper);
  if (found === undefined) throw new InvalidArgumentError(`expected one of ${END_STATUSES.join(', ')}, got '${value}'.`);
  return found;
}

/**
 * Commander option parser of a time: milliseconds since the epoch, or an ISO 8601 date
 * (`2026-12-05T21:30:00Z`; without a zone it is local time, as `Date.parse` reads it).
 */
export function timeValue(value: string): number {
  const ms = /^\d+$/.test(value) ? Number(value) : Date.parse(value);
  if (!Number.isSafeInteger(ms) || ms < 0) {
    throw new InvalidArgumentError(`expected milliseconds since the epoch or an ISO 8601 date, got '${value}'.`);
  }
  return ms;
}
