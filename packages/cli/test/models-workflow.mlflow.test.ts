import '@logbook/mlflow';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogbook } from '@logbook/core';
import type { Deployment, LiveMetricsReport, ModelAlert, ModelVersion, ModelVersionComparison } from '@logbook/core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Registered } from '../src/commands/models-register-action.js';
import type { VersionDetails } from '../src/commands/models-show.js';
import { cli, populate, startAlertReceiver } from './fixture.js';
import type { AlertReceiver, Populated } from './fixture.js';

const server = inject('mlflow');
const describeLive = (server === null ? describe.skip : describe) as typeof describe;

describeLive('logbook models: the whole workflow against a live MLflow server', () => {
  const uri = server?.uri ?? '';
  let p: Populated;
  let dir: string;
  let hook: AlertReceiver;
  let hookUrl: string;
  let alerts: ModelAlert[];
  const model = `cli-flow-${randomUUID().slice(0, 8)}`;
  const run = async <T>(args: string[]): Promise<T> => {
    const out = await cli(['--json', ...args], { dbPath: uri, cwd: dir });
    expect(out.code, `${args.join(' ')}: ${out.stderr}`).toBe(0);
    return JSON.parse(out.stdout) as T;
  };

  beforeAll(async () => {
    const lb = await createLogbook({ trackingUri: uri });
    try {
      p = await populate(lb, `${model}-`);
    } finally {
      await lb.close();
    }
    dir = mkdtempSync(join(tmpdir(), 'logbook-cli-flow-'));
    writeFileSync(join(dir, 'v1.bin'), Buffer.alloc(300_000, 1));
    writeFileSync(join(dir, 'v2.bin'), Buffer.alloc(300_000, 2));
    hook = await startAlertReceiver();
    hookUrl = hook.url;
    alerts = hook.received as ModelAlert[];
  });
  afterAll(() => {
    hook?.close();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  it('register bytes → Staging → Production → deploy → degraded live metrics alert → rollback → archive, read back', async () => {
    const v1 = await run<Registered>(['models', 'register', model, 'v1.bin', '--run-id', p.childRunIds[0], '--by', 'ci']);
    expect(v1).toMatchObject({ semver: '1.0.0', version: { version: '1', runId: p.childRunIds[0] } });
    expect(v1.version.source).toMatch(/v1\.bin$/);
    const v2 = await run<Registered>(['models', 'register', model, 'v2.bin', '--run-id', p.childRunIds[1], '--parent', '1']);
    expect(v2.semver).toBe('1.1.0');
    expect((await cli(['models', 'register', model, 'v2.bin', '--run-id', p.childRunIds[1]], { dbPath: uri, cwd: dir })).code).toBe(5);

    expect((await run<ModelVersion>(['models', 'transition', model, '1.1.0', 'Staging'])).currentStage).toBe('Staging');
    expect((await run<ModelVersion>(['models', 'transition', model, 'staging', 'Production', '--archive-existing'])).currentStage).toBe('Production');
    const deployed = await run<Deployment>(['models', 'deploy', model, 'Production', '--environment', 'production', '--by', 'ci']);
    expect(deployed).toMatchObject({ version: '2', semver: '1.1.0', status: 'deployed', environment: 'production' });

    // The second child's accuracy is 0.8: 0.5 is 37.5 % worse.
    const checked = await run<{ report: LiveMetricsReport }>(['models', 'monitor', model, '2', '--environment', 'production', '--metric', 'accuracy=0.5', '--webhook', hookUrl]);
    expect(checked.report.alert).toMatchObject({ modelName: model, version: '2', metrics: [{ key: 'accuracy', baseline: 0.8, live: 0.5 }] });
    expect(alerts).toEqual([expect.objectContaining({ kind: 'model.degraded', modelName: model, version: '2', environment: 'production' })]);

    const compared = await run<ModelVersionComparison>(['models', 'compare', model, '1', '2']);
    expect(compared.metrics.find((m) => m.key === 'loss')).toEqual({ key: 'loss', v1: 0.25, v2: 1.25, delta: 1 });
    expect(compared.v2.live).toEqual({ production: { accuracy: 0.5 } });
    expect(compared.sameBytes).toBe(false);

    const back = await run<ModelVersion>(['models', 'rollback', model, '1.0.0', '--by', 'oncall']);
    expect(back).toMatchObject({ version: '1', currentStage: 'Production' });
    const versions = await run<ModelVersion[]>(['models', 'versions', model]);
    expect(versions.map((v) => [v.version, v.currentStage])).toEqual([
      ['1', 'Production'],
      ['2', 'Archived'],
    ]);
    const live = await run<{ live: Record<string, Deployment> }>(['models', 'monitor', model]);
    expect(live.live['production']).toMatchObject({ version: '1', kind: 'rollback', replaced: ['2'], by: 'oncall' });

    expect((await run<ModelVersion>(['models', 'archive', model, '2'])).currentStage).toBe('Archived');
    const shown = await run<VersionDetails>(['models', 'show', model, '~1.1']);
    expect(shown.version).toMatchObject({ version: '2', currentStage: 'Archived', tags: { 'logbook.semver': '1.1.0', 'logbook.size': '300000', 'logbook.parentVersion': '1' } });
    expect(shown.lineage.map((e) => e.version.version)).toEqual(['2', '1']);
    expect(shown.lineage[1]?.registeredBy).toBe('ci');
    await run(['models', 'download', model, '1.0.0', '--out', 'back.bin']);
    expect(readFileSync(join(dir, 'back.bin')).equals(Buffer.alloc(300_000, 1))).toBe(true);
  });
});
