// The end-to-end workflow on one backend, through createLogbook as users wire it, with
// the depth around it: every registry change in a keyed hash-chained audit log, the alert posted
// to a local webhook receiver and shown by the router's /metrics gauges.
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { ModelStage, WebhookAlertSink, withRegistryAuditContext } from '../../packages/core/src/index.js';
import type { CreateLogbookOptions, Logbook, ModelAlert } from '../../packages/core/src/index.js';
import { AuditLog, AuditLogRegistrySink, JsonlAuditSink, createLogbookRouter, verifyAuditLog } from '../../packages/koa/src/index.js';
import type { AuditEntry } from '../../packages/koa/src/index.js';
import { closeRouters, listenRouter } from '../../packages/koa/test/listen.js';
import { uniqueName } from '../../packages/testkit/src/index.js';
import { webhookReceiver } from '../../packages/testkit/src/registry/versioning-context.js';

const KEY = 'workflow-audit-key-'.padEnd(48, 'k');
const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

/** Opens the logbook under test with the given registry audit; the caller picks the backend. */
export type OpenLogbook = (dir: string, registryAudit: NonNullable<CreateLogbookOptions['registryAudit']>) => Promise<Logbook>;

/** Gauge samples `name{…model="m"…metric="k"…} v` of one model, by `version/environment/metric`. */
function gauge(text: string, name: string, model: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`)) continue;
    const labels = Object.fromEntries([...line.matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]));
    if (labels.model === model) out[`${labels.version}/${labels.environment}/${labels.metric}`] = Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return out;
}

export async function registryWorkflow(open: OpenLogbook): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'logbook-workflow-'));
  const auditPath = join(dir, 'audit.jsonl');
  const auditLog = await AuditLog.open(new JsonlAuditSink({ path: auditPath }), { key: KEY });
  const lb = await open(dir, { sink: new AuditLogRegistrySink(auditLog, { ownsLog: true }), actor: 'trainer' });
  const hook = await webhookReceiver();
  try {
    const name = uniqueName('workflow');
    const tracking = lb.stores.tracking;
    const experimentId = await tracking.createExperiment({ name: uniqueName('workflow-train') });
    const trained = async (precision: number, recall: number) => {
      const run = await tracking.createRun({ experimentId });
      await tracking.logBatch(run.info.runId, {
        metrics: [
          { key: 'precision', value: precision, timestamp: 1, step: 0 },
          { key: 'recall', value: recall, timestamp: 1, step: 0 },
        ],
      });
      return run.info.runId;
    };
    lb.versioning.addAlertSink(new WebhookAlertSink({ url: hook.url }));
    lb.versioning.configureMonitoring({ threshold: 0.1 });
    const scrapeUrl = `${await listenRouter(createLogbookRouter({ logbook: lb, auth: { authenticators: [], anonymousRole: 'reader' }, modelMonitoring: { threshold: 0.1 }, onServerError: () => undefined }))}/metrics`;
    const scrape = async (): Promise<string> => (await fetch(scrapeUrl)).text();

    // Register bytes: three versions, each from its training run, with datasets.
    const bytes = [randomBytes(4096), randomBytes(5000), randomBytes(6000)];
    const datasets = [{ name: 'nights', digest: 'd1', source: 's3://survey/nights' }];
    const runs = [await trained(0.9, 0.8), await trained(0.91, 0.82), await trained(0.95, 0.85)];
    const semvers: string[] = [];
    for (let i = 0; i < 3; i++) {
      semvers.push(await lb.versioning.createModelVersion(name, bytes[i]!, { runId: runs[i]!, datasets, codeVersion: false, registeredBy: 'trainer', ...(i > 0 && { parentVersion: String(i) }) }));
    }
    expect(semvers).toEqual(['1.0.0', '1.1.0', '1.2.0']);

    // Staging → Production → deploy → live metrics degrade → alert.
    await lb.registry.transitionModelStage(name, '1.2.0', 'Staging');
    await withRegistryAuditContext({ actor: 'release-manager' }, () => lb.registry.transitionModelStage(name, '1.2.0', 'Production', true));
    const deployment = await lb.versioning.recordDeployment(name, '1.2.0', { environment: 'production', status: 'deployed', by: 'ci', url: 'https://models.example/det' });
    expect((await lb.versioning.logLiveMetrics(name, 'Production', 'production', { precision: 0.94, recall: 0.84 })).alert).toBeUndefined();
    expect(hook.received).toHaveLength(0);
    const report = await lb.versioning.logLiveMetrics(name, 'Production', 'production', { precision: 0.6, recall: 0.84 });
    expect(report.alert?.metrics.map((m) => m.key)).toEqual(['precision']);
    expect(hook.received).toHaveLength(1);
    const posted = (hook.received[0] as { body: ModelAlert }).body;
    expect(posted).toMatchObject({ kind: 'model.degraded', modelName: name, version: '3', semver: '1.2.0', environment: 'production', deploymentId: deployment.id });
    expect(posted.metrics[0]).toMatchObject({ key: 'precision', baseline: 0.95, live: 0.6, threshold: 0.1 });
    let text = await scrape();
    expect(gauge(text, 'logbook_model_metric_degraded', name)).toEqual({ '3/production/precision': 1, '3/production/recall': 0 });
    expect(gauge(text, 'logbook_model_live_metric', name)).toEqual({ '3/production/precision': 0.6, '3/production/recall': 0.84 });

    // Rollback to a chosen version (1, not the previous holder), then archive 2, read back field by field.
    await withRegistryAuditContext({ actor: 'oncall' }, () => lb.versioning.rollbackModelVersion(name, '1.0.0'));
    await lb.versioning.archiveModelVersion(name, '1.1.0');
    const versions = await lb.registry.listModelVersions(name);
    expect(versions.map((v) => [v.version, v.currentStage, v.tags['logbook.semver'], v.tags['logbook.sha256'], v.tags['logbook.size'], v.runId])).toEqual([
      ['1', ModelStage.Production, '1.0.0', sha256(bytes[0]!), '4096', runs[0]],
      ['2', ModelStage.Archived, '1.1.0', sha256(bytes[1]!), '5000', runs[1]],
      ['3', ModelStage.Archived, '1.2.0', sha256(bytes[2]!), '6000', runs[2]],
    ]);
    expect(sha256(await lb.versioning.getModelVersion(name, 'Production'))).toBe(sha256(bytes[0]!));
    const lineage = await lb.versioning.getLineage(name, '3');
    expect(lineage.map((l) => [l.version.version, l.semver, l.registeredBy, l.datasets])).toEqual([
      ['3', '1.2.0', 'trainer', datasets],
      ['2', '1.1.0', 'trainer', datasets],
      ['1', '1.0.0', 'trainer', datasets],
    ]);
    const live = await lb.versioning.getLiveVersions(name);
    expect(live['production']).toMatchObject({ version: '1', kind: 'rollback', replaced: ['3'], by: 'oncall', status: 'deployed' });
    const history = await lb.versioning.getDeploymentHistory(name, 'production');
    expect(history.map((d) => [d.version, d.kind, d.by])).toEqual([
      ['1', 'rollback', 'oncall'],
      ['3', 'deploy', 'ci'],
    ]);
    text = await scrape();
    expect(gauge(text, 'logbook_model_live_metric', name)).toEqual({});
    await lb.versioning.logLiveMetrics(name, '1', 'production', { precision: 0.89 });
    expect(gauge(await scrape(), 'logbook_model_metric_degraded', name)).toEqual({ '1/production/precision': 0 });
  } finally {
    await closeRouters();
    await hook.close();
    await lb.close();
  }
  try {
    // The audit trail: every change, by whom, in one chain that verifies with the key.
    const entries: AuditEntry[] = [];
    for await (const e of new JsonlAuditSink({ path: auditPath }).entries()) entries.push(e);
    const stageMoves = entries.filter((e) => e.action === 'model.version.transition').map((e) => [e.target!.split('/').at(-1), e.before?.stage, e.after?.stage, e.actor]);
    expect(stageMoves).toEqual([
      ['3', 'None', 'Staging', 'trainer'],
      ['3', 'Staging', 'Production', 'release-manager'],
      ['1', 'None', 'Production', 'oncall'],
      ['3', 'Production', 'Archived', 'oncall'],
      ['2', 'None', 'Archived', 'trainer'],
    ]);
    expect(entries.filter((e) => e.action === 'model.version.create')).toHaveLength(3);
    expect(entries.filter((e) => e.action === 'model.deploy').map((e) => e.actor)).toEqual(['ci']);
    expect(entries.filter((e) => e.action === 'model.rollback').map((e) => [e.actor, e.before?.replaced])).toEqual([['oncall', '3']]);
    expect(await verifyAuditLog(new JsonlAuditSink({ path: auditPath }), { key: KEY })).toMatchObject({ ok: true, keyed: true, entries: entries.length });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
