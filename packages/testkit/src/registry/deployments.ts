import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DEPLOYMENTS_EXPERIMENT, ModelStage, WebhookAlertSink, isLogbookError } from '@logbook/core';
import type { ModelAlert } from '@logbook/core';
import { expectCode } from '../support.js';
import { modelName } from './context.js';
import { services, sourceRun, webhookReceiver } from './versioning-context.js';
import type { VersioningContext } from './versioning-context.js';

const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

/** Deployments, live metrics, degradation alerts, rollback to a chosen version and archiving. */
export function modelDeploymentTests(ctx: VersioningContext): void {
  describe('model deployments and monitoring', () => {
    it('runs the workflow: bytes → Staging → Production → deploy → live metrics degrade → webhook alert → rollback → archive', async () => {
      const { versioning, registry, errors } = services(ctx);
      const hook = await webhookReceiver();
      try {
        versioning.addAlertSink(new WebhookAlertSink({ url: hook.url }));
        versioning.configureMonitoring({ threshold: 0.1, lowerIsBetter: ['latency'] });
        const name = modelName('flow');
        const run1 = await sourceRun(ctx.tracking(), { precision: 0.9, recall: 0.85, latency: 20 });
        const run2 = await sourceRun(ctx.tracking(), { precision: 0.93, recall: 0.88, latency: 18 });
        const bytes1 = randomBytes(3000);
        const bytes2 = randomBytes(3000);
        expect(await versioning.createModelVersion(name, bytes1, { runId: run1, codeVersion: false })).toBe('1.0.0');
        expect(await versioning.createModelVersion(name, bytes2, { runId: run2, parentVersion: '1', codeVersion: false })).toBe('1.1.0');
        await registry.transitionModelStage(name, '1.0.0', 'Production');
        await registry.transitionModelStage(name, '1.1.0', 'Staging');
        await registry.transitionModelStage(name, '1.1.0', 'Production');
        const v1 = await versioning.recordDeployment(name, '1.0.0', { environment: 'production', status: 'deployed', by: 'ci' });
        await versioning.recordDeployment(name, '1.1.0', { environment: 'staging', status: 'deployed', by: 'alice', url: 'http://staging.example/unet' });
        const v2 = await versioning.recordDeployment(name, '1.1.0', { environment: 'production', status: 'deployed', by: 'ci', url: 'http://prod.example/unet' });
        await versioning.recordDeployment(name, '1.1.0', { environment: 'observatory-2', status: 'failed', by: 'ci' });
        expect(v2).toMatchObject({
          modelName: name,
          version: '2',
          semver: '1.1.0',
          environment: 'production',
          status: 'deployed',
          by: 'ci',
          url: 'http://prod.example/unet',
          kind: 'deploy',
          replaced: [],
        });
        expect(v2.at).toBeGreaterThan(v1.at);

        const live = await versioning.getLiveVersions(name);
        expect(Object.fromEntries(Object.entries(live).map(([env, d]) => [env, d.version]))).toEqual({ production: '2', staging: '2' });
        const history = await versioning.getDeploymentHistory(name, 'production');
        expect(history.map((d) => [d.version, d.status, d.by])).toEqual([
          ['2', 'deployed', 'ci'],
          ['1', 'deployed', 'ci'],
        ]);

        const fine = await versioning.logLiveMetrics(name, '1.1.0', 'production', { precision: 0.92, recall: 0.87, latency: 19 });
        expect(fine.alert).toBeUndefined();
        expect(hook.received).toHaveLength(0);
        const bad = await versioning.logLiveMetrics(name, 'Production', 'production', { precision: 0.7, recall: 0.86, latency: 30 });
        expect(bad.alert?.metrics.map((m) => m.key).sort()).toEqual(['latency', 'precision']);
        expect(hook.received).toHaveLength(1);
        const posted = hook.received[0] as { method: string; contentType: string; body: ModelAlert };
        expect(posted).toMatchObject({ method: 'POST', contentType: 'application/json' });
        expect(posted.body).toMatchObject({ kind: 'model.degraded', modelName: name, version: '2', semver: '1.1.0', environment: 'production', deploymentId: v2.id });
        expect(posted.body.metrics.find((m) => m.key === 'precision')).toMatchObject({ baseline: 0.93, live: 0.7, threshold: 0.1 });
        expect(errors.filter((e) => e.operation === 'model.degraded' && isLogbookError(e.error))).toHaveLength(1);
        const precision = await ctx.tracking().getMetricHistory(v2.id, 'precision');
        expect(precision.items.map((m) => [m.step, m.value])).toEqual([
          [0, 0.92],
          [1, 0.7],
        ]);
        await expectCode(versioning.logLiveMetrics(name, '1.1.0', 'observatory-2', { precision: 1 }), 'INVALID_STATE');

        const back = await versioning.rollbackModelVersion(name, '1.0.0', { by: 'oncall' });
        expect(back).toMatchObject({ version: '1', currentStage: ModelStage.Production });
        expect((await registry.getModelVersion(name, '2')).currentStage).toBe(ModelStage.Archived);
        const rolled = (await versioning.getDeploymentHistory(name, 'production'))[0]!;
        expect(rolled).toMatchObject({ version: '1', kind: 'rollback', replaced: ['2'], by: 'oncall', status: 'deployed' });
        expect((await versioning.getLiveVersions(name))['production']?.version).toBe('1');
        expect(sha256(await versioning.getModelVersion(name, 'Production'))).toBe(sha256(bytes1));

        expect((await versioning.archiveModelVersion(name, '1.0.0')).currentStage).toBe(ModelStage.Archived);
        expect((await registry.listModelVersions(name)).map((v) => [v.version, v.currentStage])).toEqual([
          ['1', ModelStage.Archived],
          ['2', ModelStage.Archived],
        ]);
        await expectCode(registry.getLatestModel(name, 'Production'), 'RESOURCE_DOES_NOT_EXIST');

        const diff = await versioning.compareModelVersions(name, '1', '2');
        expect(diff.v2.live['production']).toEqual({ precision: 0.7, recall: 0.86, latency: 30 });
        const experiment = await ctx.tracking().getExperimentByName(DEPLOYMENTS_EXPERIMENT);
        const alerted = await ctx.tracking().getRun(v2.id);
        expect(alerted.info.experimentId).toBe(experiment!.experimentId);
        expect(JSON.parse(alerted.data.tags['logbook.alert']!)).toHaveLength(2);
      } finally {
        await hook.close();
      }
    });

    it('keeps replaced versions in Production when asked, and refuses bad deployment input', async () => {
      const { versioning, registry } = services(ctx);
      const name = modelName('keep');
      await versioning.createModelVersion(name, randomBytes(10), { codeVersion: false });
      await versioning.createModelVersion(name, randomBytes(11), { codeVersion: false });
      await registry.transitionModelStage(name, '2', 'Production');
      await versioning.rollbackModelVersion(name, '1', { replaced: 'keep' });
      expect((await registry.listModelVersions(name)).map((v) => v.currentStage)).toEqual([ModelStage.Production, ModelStage.Production]);
      await expectCode(versioning.recordDeployment(name, '1', { environment: 'prod', status: 'live' as never, by: 'ci' }), 'INVALID_PARAMETER_VALUE');
      await expectCode(versioning.recordDeployment(name, '1', { environment: ' ', status: 'deployed', by: 'ci' }), 'INVALID_PARAMETER_VALUE');
      await expectCode(versioning.recordDeployment(name, '9', { environment: 'prod', status: 'deployed', by: 'ci' }), 'RESOURCE_DOES_NOT_EXIST');
      await versioning.recordDeployment(name, '1', { environment: 'production', status: 'retired', by: 'ci' });
      expect(await versioning.getLiveVersions(name)).toEqual({});
    });
  });
}
