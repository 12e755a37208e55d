import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { appendFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ARTIFACT_PATH_TAG, ARTIFACT_RUN_TAG, createLogbook } from '@logbook/core';
import type { Deployment, LiveMetricsReport, ModelAlert, ModelVersion, ModelVersionComparison } from '@logbook/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Registered } from '../../src/commands/models-register-action.js';
import type { VersionDetails } from '../../src/commands/models-show.js';
import { cli, createFixture, startAlertReceiver } from '../fixture.js';
import type { AlertReceiver, Fixture } from '../fixture.js';

let f: Fixture;
let weights: string;
let bytes: Buffer;
const json = <T>(out: { stdout: string }): T => JSON.parse(out.stdout) as T;
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

beforeAll(async () => {
  f = await createFixture();
  // A non-BMP file name: counted and stored by code points, never cut inside the emoji.
  weights = join(f.dir, 'détecteur-🔭.bin');
  bytes = Buffer.from(Array.from({ length: 70_000 }, (_, i) => (i * 31) % 251));
  writeFileSync(weights, bytes);
});
afterAll(async () => {
  await f.cleanup();
});

describe('models register', () => {
  it('streams a file into the store with its SHA-256 and the first semver, and lists it', async () => {
    const out = await cli(['--json', 'models', 'register', 'detector', weights, '--run-id', f.childRunIds[0], '--by', 'ci'], { dbPath: f.dbPath, cwd: f.dir });
    expect(out.code, out.stderr).toBe(0);
    const r = json<Registered>(out);
    expect(r).toMatchObject({ semver: '1.0.0', duplicate: false, version: { name: 'detector', version: '1', runId: f.childRunIds[0] } });
    expect(r.version.tags).toMatchObject({ 'logbook.sha256': sha(bytes), 'logbook.size': String(bytes.length), 'logbook.registeredBy': 'ci' });
    expect(r.version.tags[ARTIFACT_PATH_TAG]).toMatch(/\/détecteur-🔭\.bin$/);
    const text = await cli(['models', 'versions', 'detector'], { dbPath: f.dbPath });
    expect(text.stdout).toMatch(new RegExp(`^1\\s+None\\s+1\\.0\\.0\\s+${f.childRunIds[0]}`, 'm'));
  });

  it('refuses the same bytes again with exit 5, or names the existing version with --allow-duplicate', async () => {
    const again = await cli(['models', 'register', 'detector', 'détecteur-🔭.bin'], { dbPath: f.dbPath, cwd: f.dir });
    expect(again.code).toBe(5);
    expect(again.stderr).toContain('already version 1 (1.0.0)');
    const allowed = await cli(['--json', 'models', 'register', 'detector', weights, '--allow-duplicate'], { dbPath: f.dbPath, cwd: f.dir });
    expect(allowed.code, allowed.stderr).toBe(0);
    expect(json<Registered>(allowed)).toMatchObject({ semver: '1.0.0', duplicate: true, version: { version: '1' } });
    expect(json<ModelVersion[]>(await cli(['--json', 'models', 'versions', 'detector'], { dbPath: f.dbPath }))).toHaveLength(1);
  });

  it('bumps the semver of new bytes (--bump major) and records the parent', async () => {
    const v2 = join(f.dir, 'v2.bin');
    writeFileSync(v2, Buffer.concat([bytes, Buffer.from('v2')]));
    const out = await cli(
      ['models', 'register', 'detector', 'v2.bin', '--bump', 'major', '--parent', '1.0.0', '--run-id', f.childRunIds[1], '--dataset', 'nights-2026-11,sha256:9f2c,s3://survey/nights/2026-11?part=a,b'],
      { dbPath: f.dbPath, cwd: f.dir },
    );
    expect(out.code, out.stderr).toBe(0);
    expect(out.stdout).toMatch(/^Registered version 2 \(2\.0\.0\) of model 'detector', 70002 B, SHA-256 [0-9a-f]{64}\.\n$/);
  });

  it('registers a runs:/ URI with its run and a semver', async () => {
    const out = await cli(['--json', 'models', 'register', 'unet', `runs:/${f.childRunIds[1]}/model`, '--semver', 'v1.2.0'], { dbPath: f.dbPath });
    expect(out.code, out.stderr).toBe(0);
    expect(json<Registered>(out)).toMatchObject({ semver: '1.2.0', version: { version: '3', runId: f.childRunIds[1], source: `runs:/${f.childRunIds[1]}/model` } });
  });

  it('fails with typed exit codes on bad input and changes nothing', async () => {
    const cases: [string[], number, string][] = [
      [['models', 'register', 'detector', 'missing.bin'], 2, 'No model file'],
      [['models', 'register', 'detector', f.dir], 2, 'not a regular file'],
      [['models', 'register', 'detector', weights, '--semver', '1.2'], 2, "Invalid semantic version '1.2'"],
      [['models', 'register', 'detector', weights, '--bump', 'huge'], 2, 'expected one of major, minor, patch'],
      [['models', 'register', 'unet', 'runs:/no-such-run/model'], 3, 'no-such-run'],
      [['models', 'register', 'unet', 'runs:/only-a-run'], 2, 'is not runs:/<run-id>/<path>'],
      [['models', 'register', 'unet', `runs:/${f.childRunIds[0]}/m`, '--run-id', f.childRunIds[1]], 2, 'differs from the run'],
      [['models', 'register', 'unet', `runs:/${f.childRunIds[0]}/m`, '--bump', 'minor'], 2, 'apply to model files'],
      [['models', 'register', 'detector', weights, '--dataset', 'only-a-name,sha'], 2, 'expected <name>,<digest>,<source>'],
      [['models', 'register', 'unet', 's3://bucket/m', '--semver', '1.0.0'], 5, 'already has a version 1.0.0'],
    ];
    for (const [args, code, message] of cases) {
      const out = await cli(args, { dbPath: f.dbPath, cwd: f.dir });
      expect(out.code, args.join(' ')).toBe(code);
      expect(out.stderr, args.join(' ')).toContain(message);
    }
    expect(json<ModelVersion[]>(await cli(['--json', 'models', 'versions', 'detector'], { dbPath: f.dbPath }))).toHaveLength(2);
    expect(json<ModelVersion[]>(await cli(['--json', 'models', 'versions', 'unet'], { dbPath: f.dbPath }))).toHaveLength(3);
  });
});

describe('models show', () => {
  it('reads every form of version reference', async () => {
    const cases: [string, string][] = [
      ['2', '2'],
      ['latest', '3'],
      ['staging', '2'],
      ['1.1.0', '2'],
      ['^1.0', '3'],
      ['~1.0', '1'],
    ];
    for (const [ref, expected] of cases) {
      const out = await cli(['--json', 'models', 'show', 'unet', ref], { dbPath: f.dbPath });
      expect(out.code, `${ref}: ${out.stderr}`).toBe(0);
      expect(json<VersionDetails>(out).version.version, ref).toBe(expected);
    }
  });

  it('shows the bytes, who registered it and the lineage back to the parent', async () => {
    const out = await cli(['models', 'show', 'detector', '2.0.0'], { dbPath: f.dbPath });
    expect(out.code, out.stderr).toBe(0);
    expect(out.stdout).toMatch(/^ {2}semver\s+2\.0\.0$/m);
    expect(out.stdout).toMatch(/^ {2}size\s+70002 B$/m);
    expect(out.stdout).toMatch(/^LINEAGE\s+SEMVER/m);
    expect(out.stdout).toMatch(/^2\s+2\.0\.0\s+\S+/m);
    expect(out.stdout).toMatch(/^1\s+1\.0\.0\s+\S+.*\bci$/m);
    const lineage = json<VersionDetails>(await cli(['--json', 'models', 'show', 'detector', '2.0.0'], { dbPath: f.dbPath })).lineage;
    expect(lineage.map((e) => [e.version.version, e.parentVersion])).toEqual([
      ['2', '1'],
      ['1', undefined],
    ]);
    expect(lineage[0]!.datasets).toEqual([{ name: 'nights-2026-11', digest: 'sha256:9f2c', source: 's3://survey/nights/2026-11?part=a,b' }]);
    expect(out.stdout).toMatch(/^ {2}datasets\s+nights-2026-11@sha256:9f2c$/m);
  });

  it('answers bad references with exit 2 and unknown ones with exit 3', async () => {
    const cases: [string, string, number][] = [
      ['unet', 'prod', 2],
      ['unet', 'v3', 2],
      ['unet', '>=1 <', 2],
      ['unet', '9', 3],
      ['unet', '^7', 3],
      ['no-such-model', '1', 3],
    ];
    for (const [name, ref, code] of cases) {
      const out = await cli(['models', 'show', name, ref], { dbPath: f.dbPath });
      expect(out.code, `${name} ${ref}: ${out.stderr}`).toBe(code);
      expect(out.stderr).not.toContain('    at ');
    }
  });
});

describe('models download', () => {
  it('writes the bytes of a version, SHA-256 checked', async () => {
    const out = await cli(['--json', 'models', 'download', 'detector', '1.0.0', '--out', 'back.bin'], { dbPath: f.dbPath, cwd: f.dir });
    expect(out.code, out.stderr).toBe(0);
    expect(readFileSync(join(f.dir, 'back.bin')).equals(bytes)).toBe(true);
    expect(json<{ sha256: string }>(out).sha256).toBe(sha(bytes));
    const again = await cli(['models', 'download', 'detector', '1.0.0', '--out', 'back.bin'], { dbPath: f.dbPath, cwd: f.dir });
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('exists');
  });

  it('refuses a version registered from a URI (exit 5)', async () => {
    const out = await cli(['models', 'download', 'unet', '1', '--out', 'unet.bin'], { dbPath: f.dbPath, cwd: f.dir });
    expect(out.code).toBe(5);
    expect(out.stderr).toContain('registered from a URI');
  });

  it('fails with exit 4 on damaged bytes and leaves no file', async () => {
    const lb = await createLogbook({ trackingUri: f.dbPath });
    try {
      const mv = await lb.registry.getModelVersion('detector', '2.0.0');
      const run = await lb.tracker.getRun(mv.tags[ARTIFACT_RUN_TAG]!);
      await appendFile(join(fileURLToPath(run.info.artifactUri), mv.tags[ARTIFACT_PATH_TAG]!), 'tampered');
    } finally {
      await lb.close();
    }
    const out = await cli(['models', 'download', 'detector', '2.0.0', '--out', 'damaged.bin'], { dbPath: f.dbPath, cwd: f.dir });
    expect(out.code).toBe(4);
    expect(out.stderr).toContain('Checksum mismatch');
    expect(existsSync(join(f.dir, 'damaged.bin'))).toBe(false);
    expect(readdirSync(f.dir).filter((n) => n.endsWith('.partial'))).toEqual([]);
  });
});

describe('models compare', () => {
  it("puts the source runs' metrics side by side with deltas, and the params that differ", async () => {
    const out = await cli(['--json', 'models', 'compare', 'unet', '1', '1.1.0'], { dbPath: f.dbPath });
    expect(out.code, out.stderr).toBe(0);
    const c = json<ModelVersionComparison>(out);
    expect(c.metrics.find((m) => m.key === 'loss')).toEqual({ key: 'loss', v1: 0.25, v2: 1.25, delta: 1 });
    expect(c.params).toEqual([{ key: 'lr', v1: '0.01', v2: '0.1' }]);
    expect(c.commonAncestor).toBe('1');
    const text = await cli(['models', 'compare', 'unet', '1', '1.1.0'], { dbPath: f.dbPath });
    expect(text.stdout).toMatch(/^loss\s+0\.25\s+1\.25\s+1$/m);
    expect(text.stdout).toMatch(/^lr\s+0\.01\s+0\.1$/m);
  });
});

describe('models transition, deploy, monitor, rollback, archive', () => {
  let hook: AlertReceiver;
  let hookUrl: string;
  let alerts: ModelAlert[];
  beforeAll(async () => {
    hook = await startAlertReceiver();
    hookUrl = hook.url;
    alerts = hook.received as ModelAlert[];
  });
  afterAll(() => {
    hook.close();
  });

  it('moves versions between stages by any reference', async () => {
    const staged = await cli(['--json', 'models', 'transition', 'detector', '1.0.0', 'staging'], { dbPath: f.dbPath });
    expect(staged.code, staged.stderr).toBe(0);
    expect(json<ModelVersion>(staged).currentStage).toBe('Staging');
    const prod = await cli(['models', 'transition', 'detector', 'Staging', 'Production', '--archive-existing'], { dbPath: f.dbPath });
    expect(prod.stdout).toBe("Version 1 (1.0.0) of model 'detector' is now in Production.\n");
    const bad = await cli(['models', 'transition', 'detector', '1', 'Live'], { dbPath: f.dbPath });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('Live');
  });

  it('records a deployment and shows the live version per environment', async () => {
    const out = await cli(['--json', 'models', 'deploy', 'detector', 'Production', '--environment', 'production', '--by', 'ci', '--url', 'https://serve.example/detector'], { dbPath: f.dbPath });
    expect(out.code, out.stderr).toBe(0);
    expect(json<Deployment>(out)).toMatchObject({ modelName: 'detector', version: '1', semver: '1.0.0', environment: 'production', status: 'deployed', by: 'ci', kind: 'deploy' });
    const live = await cli(['models', 'monitor', 'detector'], { dbPath: f.dbPath });
    expect(live.code, live.stderr).toBe(0);
    expect(live.stdout).toMatch(/^production\s+1\s+1\.0\.0\s+\S+ \S+\s+ci\s+-$/m);
    const bad = await cli(['models', 'deploy', 'detector', '1', '--environment', 'production', '--status', 'live'], { dbPath: f.dbPath });
    expect(bad.code).toBe(2);
  });

  it('logs live metrics, and a degradation past the threshold raises an alert to the webhook', async () => {
    const ok = await cli(['--json', 'models', 'monitor', 'detector', '1', '--environment', 'production', '--metric', 'accuracy=0.79', '--webhook', hookUrl], { dbPath: f.dbPath });
    expect(ok.code, ok.stderr).toBe(0);
    expect(json<{ report: LiveMetricsReport }>(ok).report.alert).toBeUndefined();
    expect(alerts).toEqual([]);
    const bad = await cli(['--json', 'models', 'monitor', 'detector', '1.0.0', '--environment', 'production', '--metric', 'accuracy=0.7', '--threshold', '0.05', '--webhook', hookUrl], {
      dbPath: f.dbPath,
    });
    expect(bad.code, bad.stderr).toBe(0);
    const report = json<{ report: LiveMetricsReport }>(bad).report;
    expect(report.checks).toEqual([expect.objectContaining({ key: 'accuracy', live: 0.7, baseline: 0.8, degraded: true })]);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ kind: 'model.degraded', modelName: 'detector', version: '1', environment: 'production', metrics: [{ key: 'accuracy', baseline: 0.8, live: 0.7 }] });
    const live = await cli(['models', 'monitor', 'detector', '--environment', 'production'], { dbPath: f.dbPath });
    expect(live.stdout).toMatch(/accuracy=0\.7$/m);
  });

  it('refuses live metrics without a deployment (exit 5) or without a version and environment (exit 2)', async () => {
    const none = await cli(['models', 'monitor', 'detector', '2', '--environment', 'production', '--metric', 'accuracy=0.9'], { dbPath: f.dbPath });
    expect(none.code).toBe(5);
    expect(none.stderr).toContain('has no deployment');
    for (const args of [
      ['detector', '--metric', 'accuracy=1'],
      ['detector', '1', '--metric', 'accuracy=x', '--environment', 'p'],
      ['detector', '--threshold', '0.2'],
    ]) {
      expect((await cli(['models', 'monitor', ...args], { dbPath: f.dbPath })).code, args.join(' ')).toBe(2);
    }
  });

  it('rolls back to a chosen version, archiving the one it replaces, then archives', async () => {
    await cli(['models', 'transition', 'detector', '2', 'Production', '--archive-existing'], { dbPath: f.dbPath });
    const out = await cli(['models', 'rollback', 'detector', '1.0.0', '--by', 'oncall'], { dbPath: f.dbPath });
    expect(out.code, out.stderr).toBe(0);
    expect(out.stdout).toBe("Version 1 (1.0.0) of model 'detector' is back in Production.\n");
    const versions = json<ModelVersion[]>(await cli(['--json', 'models', 'versions', 'detector'], { dbPath: f.dbPath }));
    expect(versions.map((v) => [v.version, v.currentStage])).toEqual([
      ['1', 'Production'],
      ['2', 'Archived'],
    ]);
    const live = json<{ live: Record<string, Deployment> }>(await cli(['--json', 'models', 'monitor', 'detector'], { dbPath: f.dbPath })).live;
    expect(live['production']).toMatchObject({ version: '1', kind: 'rollback', replaced: ['2'], by: 'oncall' });
    const archived = await cli(['--json', 'models', 'archive', 'detector', 'production'], { dbPath: f.dbPath });
    expect(archived.code, archived.stderr).toBe(0);
    expect(json<ModelVersion>(archived)).toMatchObject({ version: '1', currentStage: 'Archived' });
    expect((await cli(['models', 'rollback', 'detector', '7'], { dbPath: f.dbPath })).code).toBe(3);
  });
});

describe('models with modelRegistryEnabled: false', () => {
  it('refuses to register with exit 2 naming the setting, and stores nothing', async () => {
    const env = { LOGBOOK_MODEL_REGISTRY_ENABLED: 'false' };
    const out = await cli(['models', 'register', 'disabled-model', weights], { dbPath: f.dbPath, cwd: f.dir, env });
    expect(out.code).toBe(2);
    expect(out.stderr).toContain('modelRegistryEnabled');
    expect((await cli(['models', 'versions', 'disabled-model'], { dbPath: f.dbPath })).code).toBe(3);
  });
});
