import semver from 'semver';
import type { ModelVersion } from '../../model/registry.js';
import { SEMVER_BUMP_TAG, SEMVER_TAG } from './tags.js';

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
 * the highest semver of the versions numbered below it, bumped; `1.0.0` when there is none.
 *
 * Version numbers are handed out one at a time by the store and a version's tags are written with
 * it, so every process that reads the versions below N computes the same semver for N: two
 * processes registering at once never settle on the same semver, with no lock and no retry.
 */
export function semverByVersion(versions: readonly ModelVersion[]): Map<string, string> {
  const out = new Map<string, string>();
  let highest: string | undefined;
  for (const v of [...versions].sort((a, b) => Number(a.version) - Number(b.version))) {
    const tagged = v.tags[SEMVER_TAG];
    const bump = v.tags[SEMVER_BUMP_TAG];
    let value: string | undefined;
    if (tagged !== undefined && semver.valid(tagged) !== null) value = tagged;
    else if (tagged === undefined && isSemverBump(bump)) value = highest === undefined ? '1.0.0' : semver.inc(highest, bump)!;
    if (value === undefined) continue;
    out.set(v.version, value);
    if (highest === undefined || semver.gt(value, highest)) highest = value;
  }
  return out;
}
