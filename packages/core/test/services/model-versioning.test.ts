import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEPLOYMENTS_EXPERIMENT, MODELS_EXPERIMENT, ModelStage, PARENT_VERSION_TAG, SEMVER_TAG, createLogbook, silentLogger } from '../../src/index.js';
import { servicesOverMemory } from '../support/logbook-fixture.js';
import { ModelRegistry, ModelVersioning as Versioning, MemoryBackend } from '../../src/index.js';
import type { Readable } from 'node:stream';
import { SEMVER_BUMP_TAG, SHA256_TAG } from '../../src/services/registry/tags.js';
import { createHash } from 'node:crypto';

/**
 * `count` writers over one memory backend whose registry calls each answer after 0-3 ms (seeded),
 * so the writers' reads and writes interleave as they do across processes.
 */
function jitteredWriters(backend: MemoryBackend, count: number, seed: number): Versioning[] {
  let state = seed;
  const jitter = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, (state = (state * 48271) % 2147483647) % 4));
  const registry = new Proxy(backend.registry, {
    get: (target, property) => {
      const value: unknown = Reflect.get(target, property, target);
      if (typeof value !== 'function') return value;
      return async (...args: unknown[]) => {
        await jitter();
        const result: unknown = await (value as (...a: unknown[]) => unknown).apply(target, args);
        await jitter();
        return result;
      };
    },
  });
  return Array.from({ length: count }, () => new Versioning(new ModelRegistry(registry), backend.tracking, backend.artifacts, () => undefined));
}

describe('ModelVersioning', () => {
  describe('.createVersion', () => {
    it('stores the normalized semver and the parent version as tags', async () => {
      const { versioning } = servicesOverMemory();
      await versioning.createVersion('m', 's1', { semver: '1.0.0' });
      const v2 = await versioning.createVersion('m', 's2', { semver: 'v1.1.0-rc.1', parentVersion: '1', tags: { k: 'v' } });
      expect(v2.tags).toEqual({ k: 'v', [SEMVER_TAG]: '1.1.0-rc.1', [PARENT_VERSION_TAG]: '1' });
    });

    it('rejects an invalid semver or an unknown parent with INVALID_PARAMETER_VALUE naming the field', async () => {
      const { versioning, backend } = servicesOverMemory();
      await expect(versioning.createVersion('m', 's', { semver: '1.0' })).rejects.toMatchObject({ code: 'INVALID_PARAMETER_VALUE', field: 'semver' });
      await versioning.createVersion('m', 's');
      await expect(versioning.createVersion('m', 's', { parentVersion: '9' })).rejects.toMatchObject({ code: 'INVALID_PARAMETER_VALUE', field: 'parentVersion' });
      expect(backend.registry.models.get('m')!.versions.size).toBe(1);
    });
  });

  describe('.createModelVersion from several writers at once', () => {
    it('gives every version its own semver, the ones each writer was told, when registry calls of four writers interleave at random', async () => {
      const backend = new MemoryBackend();
      await backend.registry.createRegisteredModel({ name: 'm' });
      const writers = jitteredWriters(backend, 4, 7);
      const told = await Promise.all(
        writers.flatMap((w, i) => Array.from({ length: 8 }, (_, j) => w.createModelVersion('m', Buffer.from(`weights ${i}.${j}`), { codeVersion: false, bump: 'patch' }))),
      );
      const versions = await new ModelRegistry(backend.registry).listModelVersions('m');
      const stored = versions.map((v) => v.tags[SEMVER_TAG]);
      expect(stored).toEqual(Array.from({ length: 32 }, (_, i) => `1.0.${i}`));
      expect([...told].sort()).toEqual([...stored].sort());
    });

    it('keeps one version of the same bytes registered by four writers at once: the others answer as duplicates of it', async () => {
      const backend = new MemoryBackend();
      await backend.registry.createRegisteredModel({ name: 'm' });
      const writers = jitteredWriters(backend, 4, 11);
      const same = Buffer.from('the same weights 🔭');
      const told = await Promise.all(
        writers.flatMap((w, i) => [
          w.createModelVersion('m', same, { codeVersion: false, bump: 'patch', onDuplicate: 'return' }),
          w.createModelVersion('m', Buffer.from(`own weights ${i}`), { codeVersion: false, bump: 'patch', onDuplicate: 'return' }),
        ]),
      );
      const versions = await new ModelRegistry(backend.registry).listModelVersions('m');
      expect(versions.map((v) => v.tags[SEMVER_TAG]).sort()).toEqual(['1.0.0', '1.0.1', '1.0.2', '1.0.3', '1.0.4']);
      const holder = versions.find((v) => v.tags[SHA256_TAG] === createHash('sha256').update(same).digest('hex'))!;
      expect(told.filter((_, i) => i % 2 === 0)).toEqual(Array(4).fill(holder.tags[SEMVER_TAG]));
      expect(new Set(told.filter((_, i) => i % 2 === 1)).size).toBe(4);
      // The withdrawn copies left no bytes: one holding run per version.
      const holders = await backend.tracking.searchRuns({ experimentIds: [(await backend.tracking.getExperimentByName(MODELS_EXPERIMENT))!.experimentId] });
      expect(holders.items).toHaveLength(5);
    });

    it('records the semver of a version whose writer died before it could, when the same bytes come again', async () => {
      const backend = new MemoryBackend();
      await backend.registry.createRegisteredModel({ name: 'm' });
      const bytes = Buffer.from('weights of a crashed writer');
      const digest = { [SHA256_TAG]: createHash('sha256').update(bytes).digest('hex'), 'logbook.size': String(bytes.length) };
      await backend.registry.createModelVersion({ name: 'm', source: 'crashed', tags: { [SEMVER_BUMP_TAG]: 'minor', ...digest } });
      const versioning = new Versioning(new ModelRegistry(backend.registry), backend.tracking, backend.artifacts, () => undefined);
      expect(await versioning.createModelVersion('m', bytes, { codeVersion: false, onDuplicate: 'return' })).toBe('1.0.0');
      expect((await backend.registry.getModelVersion('m', '1')).tags[SEMVER_TAG]).toBe('1.0.0');
      expect(await versioning.createModelVersion('m', Buffer.from('next'), { codeVersion: false })).toBe('1.1.0');
    });

    it('refuses an explicit semver that a lower-numbered version took meanwhile, and leaves neither its version nor its bytes', async () => {
      const backend = new MemoryBackend();
      await backend.registry.createRegisteredModel({ name: 'm' });
      // Another writer registers a version (still settling its bump) while these bytes upload.
      const artifacts = new Proxy(backend.artifacts, {
        get: (target, property) => {
          const value: unknown = Reflect.get(target, property, target);
          if (property !== 'put' || typeof value !== 'function') return typeof value === 'function' ? value.bind(target) : value;
          return async (...args: unknown[]) => {
            await backend.registry.createModelVersion({ name: 'm', source: 'other', tags: { [SEMVER_BUMP_TAG]: 'minor' } });
            return (value as (...a: unknown[]) => unknown).apply(target, args);
          };
        },
      });
      const errors: unknown[] = [];
      const versioning = new Versioning(new ModelRegistry(backend.registry), backend.tracking, artifacts, (e) => errors.push(e));
      await expect(versioning.createModelVersion('m', Buffer.from('weights'), { codeVersion: false, semver: '1.0.0' })).rejects.toMatchObject({ code: 'RESOURCE_ALREADY_EXISTS', field: 'semver' });
      const versions = await new ModelRegistry(backend.registry).listModelVersions('m');
      expect(versions.map((v) => v.source)).toEqual(['other']);
      const holders = await backend.tracking.searchRuns({ experimentIds: [(await backend.tracking.getExperimentByName(MODELS_EXPERIMENT))!.experimentId] });
      expect(holders.items).toEqual([]);
      expect(errors).toEqual([]);
    });
  });

  describe('.createModelVersion with a store that returns once it has read the size it was told', () => {
    it("waits for the digest of every byte instead of reading it early (as MLflow's sized PUT answers before the source ends)", async () => {
      const backend = new MemoryBackend();
      const landed: Promise<unknown>[] = [];
      // Reads exactly `size` bytes, stores them, and returns without waiting for the stream's end.
      const put = async (uri: string, path: string, body: Readable, options: { size?: number }) => {
        const chunks: Buffer[] = [];
        let read = 0;
        await new Promise<void>((resolve, reject) => {
          body.on('error', reject);
          body.on('data', (chunk: Buffer) => {
            chunks.push(chunk);
            read += chunk.length;
            if (read >= options.size!) {
              body.pause();
              body.removeAllListeners('data');
              resolve();
            }
          });
        });
        // Answers at once; the bytes land in the background (awaited below before reading).
        landed.push(backend.artifacts.put(uri, path, Buffer.concat(chunks)));
        return { path, isDir: false, fileSize: read };
      };
      const artifacts = new Proxy(backend.artifacts, {
        get: (target, property) => {
          if (property === 'put') return put;
          const value: unknown = Reflect.get(target, property, target);
          return typeof value === 'function' ? value.bind(target) : value;
        },
      });
      const versioning = new Versioning(new ModelRegistry(backend.registry), backend.tracking, artifacts, () => undefined);
      const bytes = Buffer.from('weights 🔭'.repeat(10_000));
      // A file: the stream learns of its end by one more read after the last bytes.
      const filePath = join(mkdtempSync(join(tmpdir(), 'logbook-sized-put-')), 'weights.bin');
      writeFileSync(filePath, bytes);
      expect(await versioning.createModelVersion('m', { filePath }, {})).toBe('1.0.0');
      await Promise.all(landed);
      const stored = await versioning.getModelVersion('m', '1.0.0');
      expect(Buffer.compare(stored, bytes)).toBe(0);
    });
  });

  describe('.getLatestVersion and .findBySemver', () => {
    it('returns the newest version overall or in a stage, and the best semver match', async () => {
      const { versioning } = servicesOverMemory();
      expect(await versioning.createVersion('m', 's', { semver: '1.2.0' }).then(() => versioning.getLatestVersion('m', ModelStage.Production))).toBeUndefined();
      await versioning.createVersion('m', 's', { semver: '2.0.0' });
      await versioning.createVersion('m', 's', { semver: '1.3.0' });
      await versioning.promote('m', '1', ModelStage.Production);
      expect((await versioning.getLatestVersion('m'))!.version).toBe('3');
      expect((await versioning.getLatestVersion('m', ModelStage.Production))!.version).toBe('1');
      expect((await versioning.findBySemver('m', '^1.0.0'))!.version).toBe('3');
      expect(await versioning.findBySemver('m', '^3')).toBeUndefined();
    });
  });

  describe('.promote and .rollback', () => {
    it('archives the previous holder and brings it back on rollback', async () => {
      const { versioning, registry } = servicesOverMemory();
      for (let i = 0; i < 3; i++) await versioning.createVersion('m', `s${i}`);
      await versioning.promote('m', '1', ModelStage.Production);
      await versioning.promote('m', '2', ModelStage.Production);
      await versioning.promote('m', '3', ModelStage.Production);
      const stages = async () => (await registry.getModelVersions('m')).map((v) => v.currentStage);
      expect(await stages()).toEqual([ModelStage.Archived, ModelStage.Archived, ModelStage.Production]);
      expect((await versioning.rollback('m', ModelStage.Production)).version).toBe('2');
      expect(await stages()).toEqual([ModelStage.Archived, ModelStage.Production, ModelStage.Archived]);
      expect((await versioning.rollback('m', ModelStage.Production)).version).toBe('1');
      await expect(versioning.rollback('m', ModelStage.Production)).rejects.toMatchObject({ code: 'INVALID_STATE' });
      await expect(versioning.rollback('m', ModelStage.Staging)).rejects.toThrow(/no version is in that stage/);
    });
  });

  describe('.getLineage', () => {
    it('follows parent versions up to the root', async () => {
      const { versioning } = servicesOverMemory();
      await versioning.createVersion('m', 's1');
      await versioning.createVersion('m', 's2', { parentVersion: '1' });
      await versioning.createVersion('m', 's3');
      await versioning.createVersion('m', 's4', { parentVersion: '2' });
      expect((await versioning.getLineage('m', '4')).map((e) => e.version.version)).toEqual(['4', '2', '1']);
      expect((await versioning.getLineage('m', '3')).map((e) => e.version.version)).toEqual(['3']);
    });
  });
});

describe('ModelVersioning with modelRegistryEnabled: false', () => {
  it('refuses every operation with FEATURE_DISABLED before storing any bytes or deployment', async () => {
    const logbook = await createLogbook(
      { trackingUri: 'memory:', modelRegistryEnabled: false, logging: { drainOnExit: false } },
      { env: {}, cwd: mkdtempSync(join(tmpdir(), 'logbook-mv-')), logger: silentLogger },
    );
    try {
      for (const call of [
        () => logbook.versioning.createModelVersion('m', Buffer.from('weights'), { codeVersion: false }),
        () => logbook.versioning.getModelVersion('m', '1'),
        () => logbook.versioning.compareModelVersions('m', '1', '2'),
        () => logbook.versioning.rollbackModelVersion('m', '1'),
        () => logbook.versioning.archiveModelVersion('m', '1'),
        () => logbook.versioning.recordDeployment('m', '1', { environment: 'production', status: 'deployed', by: 'ci' }),
        () => logbook.versioning.logLiveMetrics('m', '1', 'production', { precision: 1 }),
        () => logbook.registry.getLatestModel('m', 'Production'),
        () => logbook.registry.listModelVersions('m'),
      ]) {
        await expect(call()).rejects.toMatchObject({ code: 'FEATURE_DISABLED', field: 'modelRegistryEnabled' });
      }
      expect(await logbook.stores.tracking.getExperimentByName(MODELS_EXPERIMENT)).toBeUndefined();
      expect(await logbook.stores.tracking.getExperimentByName(DEPLOYMENTS_EXPERIMENT)).toBeUndefined();
    } finally {
      await logbook.close();
    }
  });
});
