import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ARTIFACT_PATH_TAG, ARTIFACT_RUN_TAG, MODELS_EXPERIMENT, ModelStage, SEMVER_TAG, SHA256_TAG, SIZE_TAG } from '@logbook/core';
import { expectCode, readAll } from '../support.js';
import { modelName } from './context.js';
import { services, sourceRun } from './versioning-context.js';
import type { VersioningContext } from './versioning-context.js';

const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

/** Core's `ModelVersioning` over the backend: bytes in and out, version references, bad input, compare, lineage. */
export function modelVersioningTests(ctx: VersioningContext): void {
  describe('model versioning (bytes, references, compare, lineage)', () => {
    it('stores bytes, a stream and a file as versions with SHA-256, size and bumped semvers, and reads them back verified', async () => {
      const { versioning, registry } = services(ctx);
      const name = modelName('bytes');
      const a = randomBytes(70_000);
      const b = randomBytes(1000);
      const c = randomBytes(300_001);
      const dir = mkdtempSync(join(tmpdir(), 'lbk-mv-'));
      try {
        writeFileSync(join(dir, 'c.bin'), c);
        expect(await versioning.createModelVersion(name, a, { codeVersion: false })).toBe('1.0.0');
        expect(await versioning.createModelVersion(name, Readable.from([b.subarray(0, 10), b.subarray(10)]), { bump: 'patch', codeVersion: false })).toBe('1.0.1');
        expect(await versioning.createModelVersion(name, { filePath: join(dir, 'c.bin') }, { bump: 'major', codeVersion: false, fileName: 'weights.bin' })).toBe('2.0.0');
        expect(await versioning.createModelVersion(name, randomBytes(5), { semver: 'v1.5.0', codeVersion: false })).toBe('1.5.0');
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
      const v1 = await registry.getModelVersion(name, '1');
      expect(v1.tags).toMatchObject({ [SHA256_TAG]: sha256(a), [SIZE_TAG]: String(a.length), [SEMVER_TAG]: '1.0.0' });
      expect(v1.tags[ARTIFACT_PATH_TAG]).toMatch(/^logbook-models\/[0-9a-f-]{36}\/model\.bin$/);
      expect(v1.runId).toBe(v1.tags[ARTIFACT_RUN_TAG]);
      expect((await registry.getModelVersion(name, '3')).tags[ARTIFACT_PATH_TAG]).toMatch(/\/weights\.bin$/);
      expect(sha256(await versioning.getModelVersion(name, '1.0.0'))).toBe(sha256(a));
      expect(sha256(await versioning.getModelVersion(name, '2'))).toBe(sha256(b));
      expect(sha256(await readAll(await versioning.openModelVersion(name, '^2')))).toBe(sha256(c));
      expect(await versioning.getModelVersion(name, 'latest')).toHaveLength(5);
      expect((await registry.getModelVersion(name, '~1.0')).version).toBe('2');
      expect((await registry.getModelVersion(name, '>=1.1 <2')).version).toBe('4');
    });

    it('detects the same bytes registered twice and stores them once', async () => {
      const { versioning, registry } = services(ctx);
      const name = modelName('dup');
      const bytes = randomBytes(4096);
      await versioning.createModelVersion(name, bytes, { codeVersion: false });
      const err = await expectCode(versioning.createModelVersion(name, Buffer.from(bytes), { codeVersion: false }), 'RESOURCE_ALREADY_EXISTS');
      expect(err.message).toContain('version 1 (1.0.0)');
      await expectCode(versioning.createModelVersion(name, Readable.from([bytes]), { codeVersion: false }), 'RESOURCE_ALREADY_EXISTS');
      expect(await versioning.createModelVersion(name, bytes, { codeVersion: false, onDuplicate: 'return' })).toBe('1.0.0');
      expect((await registry.listModelVersions(name)).map((v) => v.version)).toEqual(['1']);
      const experiment = await ctx.tracking().getExperimentByName(MODELS_EXPERIMENT);
      const uploads = await ctx.tracking().searchRuns({ experimentIds: [experiment!.experimentId], filter: `tags.\`logbook.model\` = '${name}'` });
      expect(uploads.items).toHaveLength(1); // the streamed duplicate was uploaded, found out and removed
    });

    it('answers DATA_LOSS when the stored bytes no longer match their checksum', async () => {
      const { versioning, registry } = services(ctx);
      const name = modelName('tamper');
      await versioning.createModelVersion(name, randomBytes(2048), { codeVersion: false });
      const mv = await registry.getModelVersion(name, '1');
      const run = await ctx.tracking().getRun(mv.tags[ARTIFACT_RUN_TAG]!);
      await ctx.artifacts().put(run.info.artifactUri, mv.tags[ARTIFACT_PATH_TAG]!, randomBytes(2048));
      await expectCode(versioning.getModelVersion(name, '1'), 'DATA_LOSS');
      await ctx.artifacts().put(run.info.artifactUri, mv.tags[ARTIFACT_PATH_TAG]!, randomBytes(10));
      await expectCode(readAll(await versioning.openModelVersion(name, '1.0.0')), 'DATA_LOSS');
    });

    it('gives typed errors for bad input', async () => {
      const { versioning, registry } = services(ctx);
      const name = modelName('bad');
      await expectCode(registry.getModelVersion(modelName('absent'), '1'), 'RESOURCE_DOES_NOT_EXIST');
      await expectCode(versioning.getModelVersion(modelName('absent'), 'Production'), 'RESOURCE_DOES_NOT_EXIST');
      await expectCode(versioning.createModelVersion(name, randomBytes(8), { semver: '1.0', codeVersion: false }), 'INVALID_PARAMETER_VALUE');
      await versioning.createModelVersion(name, randomBytes(8), { codeVersion: false });
      await expectCode(versioning.createModelVersion(name, randomBytes(8), { semver: '1.0.0', codeVersion: false }), 'RESOURCE_ALREADY_EXISTS');
      await expectCode(registry.transitionModelStage(name, '1', 'Live'), 'INVALID_PARAMETER_VALUE');
      await expectCode(registry.getLatestModel(name, 'prod'), 'INVALID_PARAMETER_VALUE');
      await expectCode(registry.getModelVersion(name, '>=1.x.y <'), 'INVALID_PARAMETER_VALUE');
      await expectCode(registry.getModelVersion(name, 'v1'), 'INVALID_PARAMETER_VALUE');
      await expectCode(registry.getModelVersion(name, 'no such alias!'), 'INVALID_PARAMETER_VALUE');
      await expectCode(registry.getModelVersion(name, '^3'), 'RESOURCE_DOES_NOT_EXIST');
      await expectCode(registry.getModelVersion(name, 'Production'), 'RESOURCE_DOES_NOT_EXIST');
      await expectCode(versioning.createModelVersion(name, randomBytes(8), { parentVersion: '9', codeVersion: false }), 'INVALID_PARAMETER_VALUE');
      await expectCode(versioning.createModelVersion(name, { filePath: join(tmpdir(), 'lbk-no-such-model.bin') }, { codeVersion: false }), 'INVALID_PARAMETER_VALUE');
      expect((await registry.listModelVersions(name)).map((v) => v.version)).toEqual(['1']);
    });

    it('resolves stages and aliases, and compares two versions field by field', async () => {
      const { versioning, registry } = services(ctx);
      const name = modelName('cmp');
      const run1 = await sourceRun(ctx.tracking(), { precision: 0.9, recall: 0.8 }, { lr: '0.01', depth: '4' });
      const run2 = await sourceRun(ctx.tracking(), { precision: 0.95, f1: 0.9 }, { lr: '0.02', depth: '4' });
      const b1 = randomBytes(100);
      const b2 = randomBytes(150);
      await versioning.createModelVersion(name, b1, { runId: run1, codeVersion: { commit: 'a'.repeat(40), dirty: false }, datasets: [{ name: 'nights', digest: 'd1', source: 's3://survey/n1' }] });
      await versioning.createModelVersion(name, b2, { runId: run2, parentVersion: '1.0.0', codeVersion: { commit: 'b'.repeat(40), dirty: true }, registeredBy: 'alice' });
      await registry.transitionModelStage(name, '1.1.0', 'staging');
      await registry.setAlias(name, 'champion', '1');
      expect((await registry.getLatestModel(name, 'Staging')).version).toBe('2');
      expect((await registry.getModelVersion(name, 'champion')).version).toBe('1');

      const diff = await versioning.compareModelVersions(name, 'champion', 'Staging');
      expect(diff.metrics).toEqual([
        { key: 'f1', v2: 0.9 },
        { key: 'precision', v1: 0.9, v2: 0.95, delta: expect.closeTo(0.05, 10) as number },
        { key: 'recall', v1: 0.8 },
      ]);
      expect(diff.params).toEqual([{ key: 'lr', v1: '0.01', v2: '0.02' }]);
      expect(diff).toMatchObject({ sameBytes: false, sizeDelta: 50, commonAncestor: '1' });
      expect(diff.v1).toMatchObject({
        version: '1',
        semver: '1.0.0',
        stage: ModelStage.None,
        aliases: ['champion'],
        sha256: sha256(b1),
        size: 100,
        runId: run1,
        lineage: ['1'],
        datasets: [{ name: 'nights', digest: 'd1', source: 's3://survey/n1' }],
        code: { commit: 'a'.repeat(40), dirty: false },
      });
      expect(diff.v2).toMatchObject({ version: '2', semver: '1.1.0', stage: ModelStage.Staging, aliases: [], parentVersion: '1', lineage: ['2', '1'], code: { commit: 'b'.repeat(40), dirty: true } });

      const lineage = await versioning.getLineage(name, '1.1.0');
      expect(lineage.map((e) => [e.version.version, e.semver, e.parentVersion, e.runId, e.registeredBy])).toEqual([
        ['2', '1.1.0', '1', run2, 'alice'],
        ['1', '1.0.0', undefined, run1, undefined],
      ]);
      expect(lineage[1]!.datasets).toEqual([{ name: 'nights', digest: 'd1', source: 's3://survey/n1' }]);
    });

    it('gives versions created at the same time distinct numbers and distinct semvers', async () => {
      const name = modelName('race');
      await services(ctx).versioning.createModelVersion(name, randomBytes(16), { codeVersion: false });
      const created = await Promise.all([0, 1, 2].map(() => services(ctx).versioning.createModelVersion(name, randomBytes(16), { codeVersion: false })));
      expect(new Set(created).size).toBe(3);
      const versions = await services(ctx).registry.listModelVersions(name);
      expect(versions.map((v) => v.version)).toEqual(['1', '2', '3', '4']);
      expect(new Set(versions.map((v) => v.tags[SEMVER_TAG])).size).toBe(4);
    });
  });
}
