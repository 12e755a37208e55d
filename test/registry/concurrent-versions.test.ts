// Two processes registering versions of one model at once in one SQLite file: every version lands,
// with distinct version numbers, distinct semvers, and bytes that read back verified.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ModelRegistry, ModelVersioning, SEMVER_TAG, SHA256_TAG } from '../../packages/core/src/index.js';
import { LocalArtifactStore, SqliteStore } from '../../packages/sqlite/src/index.js';
import { prepareChildPackages } from '../spool/support/child-packages.js';
import type { ChildPackages } from '../spool/support/child-packages.js';

const run = promisify(execFile);
const PER_PROCESS = 6;

const REGISTERER = `
import 'reflect-metadata';
import { createHash, randomBytes } from 'node:crypto';
import { ModelRegistry, ModelVersioning } from '../../packages/core/src/index.js';
import { LocalArtifactStore, SqliteStore } from '../../packages/sqlite/src/index.js';
const [path, model, count] = process.argv.slice(2);
const store = new SqliteStore({ path });
const artifacts = new LocalArtifactStore();
const versioning = new ModelVersioning(new ModelRegistry(store), store, artifacts, (e) => console.error(e));
const out = [];
for (let i = 0; i < Number(count); i++) {
  const bytes = randomBytes(2048);
  const semver = await versioning.createModelVersion(model, bytes, { codeVersion: false, bump: 'patch' });
  out.push({ semver, sha256: createHash('sha256').update(bytes).digest('hex') });
}
await store.close();
await artifacts.close();
console.log(JSON.stringify(out));
`;

describe('ModelVersioning across processes', () => {
  let children: ChildPackages;
  let dir: string;
  beforeAll(() => {
    children = prepareChildPackages();
    dir = mkdtempSync(join(tmpdir(), 'lbk-mv-race-'));
  });
  afterAll(() => {
    children.remove();
    rmSync(dir, { recursive: true, force: true });
  });

  it('gives two processes registering versions of one model at once distinct versions, none lost', async () => {
    const path = join(dir, 'logbook.db');
    const setup = new SqliteStore({ path });
    await setup.createRegisteredModel({ name: 'unet' });
    await setup.close();
    const script = children.script('register.js', REGISTERER);
    const results = await Promise.all([0, 1].map(() => run(process.execPath, [script, path, 'unet', String(PER_PROCESS)], { cwd: children.dir })));
    const created = results.flatMap((r) => JSON.parse(r.stdout) as { semver: string; sha256: string }[]);
    expect(created).toHaveLength(2 * PER_PROCESS);

    const store = new SqliteStore({ path });
    const artifacts = new LocalArtifactStore();
    try {
      const registry = new ModelRegistry(store);
      const versioning = new ModelVersioning(registry, store, artifacts, () => undefined);
      const versions = await registry.listModelVersions('unet');
      expect(versions.map((v) => v.version)).toEqual(Array.from({ length: 2 * PER_PROCESS }, (_, i) => String(i + 1)));
      expect(new Set(versions.map((v) => v.tags[SEMVER_TAG])).size).toBe(2 * PER_PROCESS);
      for (const { semver, sha256 } of created) {
        const mv = await registry.getModelVersion('unet', semver);
        expect(mv.tags[SHA256_TAG]).toBe(sha256);
        expect(
          createHash('sha256')
            .update(await versioning.getModelVersion('unet', mv.version))
            .digest('hex'),
        ).toBe(sha256);
      }
    } finally {
      await store.close();
      await artifacts.close();
    }
  });
});
