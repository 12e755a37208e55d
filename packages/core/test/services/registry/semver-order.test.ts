import { describe, expect, it } from 'vitest';
import { ModelStage, ModelVersionStatus } from '../../../src/index.js';
import type { ModelVersion } from '../../../src/index.js';
import { semverByVersion } from '../../../src/services/registry/semver-order.js';
import { SEMVER_BUMP_TAG, SEMVER_TAG, SHA256_TAG, SIZE_TAG } from '../../../src/services/registry/tags.js';

function version(n: number, tags: Record<string, string>): ModelVersion {
  return {
    name: 'm',
    version: String(n),
    creationTimestamp: n,
    lastUpdatedTimestamp: n,
    currentStage: ModelStage.None,
    source: `s${n}`,
    status: ModelVersionStatus.READY,
    tags,
    aliases: [],
  };
}

describe('semverByVersion', () => {
  it('bumps a version still being created from the highest semver numbered below it, whatever order the list is in', () => {
    const got = semverByVersion([
      version(4, { [SEMVER_BUMP_TAG]: 'patch' }),
      version(1, { [SEMVER_TAG]: '1.0.0' }),
      version(3, { [SEMVER_BUMP_TAG]: 'minor' }),
      version(2, { [SEMVER_TAG]: '2.0.0' }),
      version(5, { [SEMVER_BUMP_TAG]: 'major' }),
    ]);
    expect(Object.fromEntries(got)).toEqual({ 1: '1.0.0', 2: '2.0.0', 3: '2.1.0', 4: '2.1.1', 5: '3.0.0' });
  });

  it('starts at 1.0.0, keeps a lower explicit semver from lowering the next bump, and skips versions with neither tag', () => {
    const got = semverByVersion([
      version(1, {}),
      version(2, { [SEMVER_BUMP_TAG]: 'minor' }),
      version(3, { [SEMVER_TAG]: '0.5.0' }),
      version(4, { [SEMVER_BUMP_TAG]: 'patch' }),
      version(5, { [SEMVER_TAG]: 'not-a-semver', [SEMVER_BUMP_TAG]: 'patch' }),
      version(6, { [SEMVER_BUMP_TAG]: 'sideways' }),
    ]);
    expect(Object.fromEntries(got)).toEqual({ 2: '1.0.0', 3: '0.5.0', 4: '1.0.1' });
  });

  it('gives the same answer from any prefix that holds the versions below: what one process settles, another computes', () => {
    const all = [version(1, { [SEMVER_TAG]: '1.0.0' }), version(2, { [SEMVER_BUMP_TAG]: 'patch' }), version(3, { [SEMVER_BUMP_TAG]: 'patch' }), version(4, { [SEMVER_BUMP_TAG]: 'minor' })];
    const full = semverByVersion(all);
    for (let n = 1; n <= all.length; n++) expect(semverByVersion(all.slice(0, n)).get(String(n))).toBe(full.get(String(n)));
    const settled = all.map((v) => version(Number(v.version), { [SEMVER_TAG]: full.get(v.version)!, [SEMVER_BUMP_TAG]: v.tags[SEMVER_BUMP_TAG] ?? 'patch' }));
    expect(semverByVersion(settled)).toEqual(full);
  });

  it('gives no semver to a version still being created whose bytes a lower version holds, and does not let it move the next bump', () => {
    const bytes = { [SHA256_TAG]: 'ab'.repeat(32), [SIZE_TAG]: '10' };
    const got = semverByVersion([
      version(1, { [SEMVER_TAG]: '1.0.0', ...bytes }),
      version(2, { [SEMVER_BUMP_TAG]: 'major', ...bytes }),
      version(3, { [SEMVER_BUMP_TAG]: 'minor', [SHA256_TAG]: 'ab'.repeat(32), [SIZE_TAG]: '11' }),
    ]);
    expect(Object.fromEntries(got)).toEqual({ 1: '1.0.0', 3: '1.1.0' });
  });
});
