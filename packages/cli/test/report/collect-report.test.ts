import { DEPLOYMENTS_EXPERIMENT, RunStatus, createLogbook } from '@logbook/core';
import { STAND_IN_EXPERIMENT_PREFIX } from '@logbook/core/spi';
import { SqliteStore } from '@logbook/sqlite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectReport, renderReportHtml } from '@logbook/koa';
import { createFixture } from '../fixture.js';
import type { Fixture } from '../fixture.js';

describe('collectReport', () => {
  let f: Fixture;
  let store: SqliteStore;
  let longRunId: string;

  beforeAll(async () => {
    f = await createFixture();
    const lb = await createLogbook({ trackingUri: f.dbPath });
    longRunId = await lb.tracker.startRun(f.experimentId, 'long');
    for (let step = 0; step < 2500; step++) lb.tracker.logMetric('loss', 1 / (step + 1), step, longRunId);
    await lb.tracker.endRun(longRunId);
    await lb.close();
    store = new SqliteStore({ path: f.dbPath });
  });
  afterAll(async () => {
    await store.close();
    await f.cleanup();
  });

  it('reads the runs of an experiment with params, latest metrics, parents and full histories', async () => {
    const data = await collectReport(store, { experiments: [f.experimentName] }, { historyPageSize: 2 });
    expect(data.runs.map((r) => r.runName).sort()).toEqual(['long', 'lr-0.01', 'lr-0.1', 'sweep']);
    const child = data.runs.find((r) => r.runId === f.childRunIds[0])!;
    expect(child).toMatchObject({ parentRunId: f.parentRunId, params: { lr: '0.01', epochs: '3' }, latest: { loss: 0.25, accuracy: 0.8 } });
    const loss = data.charts.find((c) => c.key === 'loss')!;
    // Pages of 2 points: every page of the 3-point histories is read.
    expect(loss.series.find((s) => s.runId === f.childRunIds[0])!.values).toEqual([...f.lossHistory]);
    expect(loss.series.find((s) => s.runId === longRunId)).toMatchObject({ storedPoints: 2500 });
    expect(loss.series.find((s) => s.runId === longRunId)!.values).toHaveLength(2000);
    expect(data.downsampledSeries).toBe(1);
  });

  it('narrows by filter, adds runs by id, and caps the points of the whole report', async () => {
    const data = await collectReport(store, { experiments: [f.experimentName], filter: "params.lr = '0.1'", runIds: [longRunId] }, { maxPointsTotal: 300 });
    expect(data.runs.map((r) => r.runName).sort()).toEqual(['long', 'lr-0.1']);
    expect(data.pointsPerSeries).toBe(100);
    expect(data.charts.find((c) => c.key === 'loss')!.series.find((s) => s.runId === longRunId)!.values).toHaveLength(100);
  });

  it('refuses an unknown experiment with RESOURCE_DOES_NOT_EXIST', async () => {
    await expect(collectReport(store, { experiments: ['nope'] })).rejects.toMatchObject({ code: 'RESOURCE_DOES_NOT_EXIST' });
  });

  it("leaves Logbook's own experiments (model bytes, deployment events) out unless they are named", async () => {
    const lb = await createLogbook({ trackingUri: f.dbPath, logLevel: 'silent' });
    try {
      const semver = await lb.versioning.createModelVersion('report-model', Buffer.from('weights'), { codeVersion: false, runId: f.childRunIds[0] });
      await lb.versioning.recordDeployment('report-model', semver, { environment: 'production', status: 'deployed', by: 'ci' });
      // A spool's stand-in experiment (this database used as a spool file).
      await lb.tracker.startRun(await lb.tracker.createExperiment(`${STAND_IN_EXPERIMENT_PREFIX}0123456789abcdef0123456789abcdef`), 'stand-in');
    } finally {
      await lb.close();
    }
    const all = await collectReport(store, {});
    expect(new Set(all.runs.map((r) => r.experimentName))).toEqual(new Set([f.experimentName]));
    const named = await collectReport(store, { experiments: [DEPLOYMENTS_EXPERIMENT] });
    expect(named.runs).toHaveLength(1);
  });
});

describe('renderReportHtml', () => {
  it('inlines everything: no src=, href= or url( to anything, and data cannot close its script element', async () => {
    const html = await renderReportHtml({
      generatedAt: 0,
      selection: {},
      pointsPerSeries: 2000,
      downsampledSeries: 0,
      charts: [],
      models: [{ name: '</script><!--<script>alert(2)</script>', versions: [], deployments: [] }],
      runs: [{ runId: 'a'.repeat(32), runName: '</script><script>alert(1)</script>', experimentId: '1', experimentName: 'e', status: RunStatus.FINISHED, startTime: 0, params: {}, latest: {} }],
    });
    expect(html).not.toMatch(/\ssrc=|\shref=|url\((?!data:)/i);
    expect(html.match(/<\/script>/g)).toHaveLength(6);
    expect(html).toContain('uPlot');
  });
});
