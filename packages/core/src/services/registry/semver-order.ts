import semver from 'semver';
import type { ModelVersion } from '../../model/registry.js';
import { SEMVER_BUMP_TAG, SEMVER_TAG, SHA256_TAG, SIZE_TAG } from './tags.js';

/** The part of a semver a new version bumps. */
export type SemverBump = 'major' | 'minor' | 'patch';

const BUMPS: readonly string[] = ['major', 'minor', 'patch'];

/** True for `major`, `minor` and `patch`. */
export function isSemverBump(value: string | undefined): value is SemverBump {
  return value !== undefined && BUMPS.includes(value);
}

/**
 * The semver of every version that has one, in version-number order: a version's `logbook.semver`
 * tag where it is set, else (a version still being created, tagged with the bump it asked for)
 * the highest semver of the versions numbered below it, bumped; `1.0.0` when there is none. A
 * version still being created whose bytes (SHA-256 and size) a lower version holds gets none: its
 * writer withdraws it as a duplicate.
 *
 * Version numbers are handed out one at a time by the store and a version's tags are written with
 * it, so every process that reads the versions below N computes the same semver for N: two
 * processes registering at once never settle on the same semver, with no lock and no retry.
 */
export function semverByVersion(versions: readonly ModelVersion[]): Map<string, string> {
  const out = new Map<string, string>();
  let highest: string | undefined;
  const digests = new Set<string>();
  for (const v of [...versions].sort((a, b) => Number(a.version) - Number(b.version))) {
    const tagged = v.tags[SEMVER_TAG];
    const bump = v.tags[SEMVER_BUMP_TAG];
    const digest = v.tags[SHA256_TAG] === undefined ? undefined : `${v.tags[SHA256_TAG]}:${v.tags[SIZE_TAG]}`;
    // The same bytes as a lower version: its writer withdraws it, so it never counts.
    const duplicate = digest !== undefined && digests.has(digest);
    if (digest !== undefined) digests.add(digest);
    let value: string | undefined;
    if (tagged !== undefined && semver.valid(tagged) !== null) value = tagged;
    else if (tagged === undefined && isSemverBump(bump) && !duplicate) value = highest === undefined ? '1.0.0' : semver.inc(highest, bump)!;
    if (value === undefined) continue;
    out.set(v.version, value);
    if (highest === undefined || semver.gt(value, highest)) highest = value;
  }
  return out;
}
