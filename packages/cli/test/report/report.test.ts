import { mkdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createLogbook } from '@logbook/core';
import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, createFixture } from '../fixture.js';
import type { Fixture } from '../fixture.js';
import { ensureChromium, launchChromium, openReportPage } from '../../../../test/setup/chromium.js';

const skipReason = ensureChromium();
if (skipReason !== undefined) console.warn(skipReason);
const ARTIFACTS = resolve(dirname(fileURLToPath(import.meta.url)), '../../../../.cache/report-screenshots');
const LONG_POINTS = 5000;

interface ChartSummary {
  series: number;
  points: number;
  storedPoints: number;
  perSeries: number[];
  visible: number;
}

describe.skipIf(skipReason !== undefined)('logbook report (in chromium)', () => {
  let f: Fixture;
  let longRunId: string;
  let browser: BrowserContext;
  let experimentReport: string;
  let pairReport: string;

  beforeAll(async () => {
    f = await createFixture();
    const lb = await createLogbook({ trackingUri: f.dbPath });
    try {
      longRunId = await lb.tracker.startRun(f.experimentId, 'long');
      lb.tracker.logParameters({ lr: 0.5, epochs: 3 }, longRunId);
      for (let step = 0; step < LONG_POINTS; step++) {
        lb.tracker.logMetric('loss', 2 / (1 + step) + (step % 100 === 0 ? 0.5 : 0), step, longRunId, 1_700_000_000_000 + step * 1000);
      }
      await lb.tracker.endRun(longRunId);
    } finally {
      await lb.close();
    }
    experimentReport = join(f.dir, 'experiment.html');
    pairReport = join(f.dir, 'pair.html');
    const one = await cli(['report', '--experiment', f.experimentName, '--out', experimentReport], { dbPath: f.dbPath });
    expect(one.stderr).toBe('');
    expect(one.code).toBe(0);
    expect(one.stdout).toContain('4 runs, 2 metrics, 1 series downsampled');
    const two = await cli(['report', '--run', f.childRunIds[0], '--run', f.childRunIds[1], '--out', pairReport], { dbPath: f.dbPath });
    expect(two.code).toBe(0);
    await mkdir(ARTIFACTS, { recursive: true });
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await f?.cleanup();
  });

  const open = (file: string) => openReportPage(browser, pathToFileURL(file).href);

  it('loads from disk with no network request and draws one chart per metric, downsampled to 2,000 points', async () => {
    const { page, requests, errors } = await open(experimentReport);
    const charts = await page.evaluate(() => (globalThis as unknown as { __logbookReport: { charts: Record<string, ChartSummary> } }).__logbookReport.charts);
    expect(Object.keys(charts).sort()).toEqual(['accuracy', 'loss']);
    expect(charts['loss']).toMatchObject({ series: 3, points: 3 + 3 + 2000, storedPoints: 3 + 3 + LONG_POINTS, visible: 3 });
    expect(charts['accuracy']).toMatchObject({ series: 2, points: 2 });
    expect(await page.locator('.chart[data-metric="loss"]').getAttribute('data-points')).toBe('2006');
    expect(await page.locator('#downsampled').textContent()).toContain('1 series longer than 2000 points');
    expect(await page.locator('.chart[data-metric="loss"] canvas').count()).toBe(1);
    await page.locator('#charts').screenshot({ path: join(ARTIFACTS, 'metrics.png') });
    await page.locator('#tree').screenshot({ path: join(ARTIFACTS, 'tree.png') });
    expect(requests).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('hides a run: its series leaves every chart it is on', async () => {
    const { page, errors } = await open(experimentReport);
    await page.locator(`input[data-run-id="${longRunId}"]`).uncheck();
    expect(await page.locator('.chart[data-metric="loss"]').getAttribute('data-visible-series')).toBe('2');
    expect(await page.locator('.chart[data-metric="accuracy"]').getAttribute('data-visible-series')).toBe('2');
    await page.locator(`input[data-run-id="${f.childRunIds[0]}"]`).uncheck();
    expect(await page.locator('.chart[data-metric="accuracy"]').getAttribute('data-visible-series')).toBe('1');
    // Other x axes and the log scale redraw every chart and keep the hidden runs hidden.
    await page.selectOption('#x-axis', 'relative');
    await page.check('#log-scale');
    // Charts are redrawn one per task; #charts[data-drawn] says when the last one is there.
    await page.waitForSelector('#charts[data-drawn="true"]');
    expect(await page.locator('#charts .chart').count()).toBe(2);
    expect(await page.locator('.chart[data-metric="loss"]').getAttribute('data-visible-series')).toBe('1');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('shows the nesting tree: children under their parent', async () => {
    const { page } = await open(experimentReport);
    // The sweep's parallel coordinates (lr, the only param that differs, then loss) and the model
    // its children registered (two versions, v2 derived from v1) are in the file too.
    expect(await page.locator('#parallel .pc-axis').evaluateAll((gs) => gs.map((g) => g.getAttribute('data-key')))).toEqual(['params.lr', 'metrics.loss']);
    expect(await page.locator('#parallel svg').getAttribute('data-lines')).toBe('3');
    expect(await page.locator(`.model[data-model="${f.modelName}"]`).getAttribute('data-versions')).toBe('2');
    expect(await page.locator(`.model[data-model="${f.modelName}"] .lineage li[data-version="1"] li[data-version="2"]`).count()).toBe(1);
    const nested = page.locator(`#tree li[data-run-id="${f.parentRunId}"] li[data-run-id]`);
    expect((await nested.evaluateAll((lis) => lis.map((li) => li.getAttribute('data-run-id')))).sort()).toEqual([...f.childRunIds].sort());
    await page.close();
  });

  it('compares params and latest metrics: differences highlighted, best marked, sortable', async () => {
    const { page, requests } = await open(pairReport);
    const differs = await page.locator('#compare thead th.differs').evaluateAll((ths) => ths.map((th) => th.getAttribute('data-key')));
    expect(differs.sort()).toEqual(['metrics.loss', 'params.lr']);
    const best = page.locator('#compare td.best');
    expect(await best.count()).toBe(1);
    expect(await best.getAttribute('data-key')).toBe('metrics.loss');
    expect(await best.locator('xpath=..').getAttribute('data-run-id')).toBe(f.childRunIds[0]);
    // Sort by loss, twice: descending puts the worse run (lr 0.1, loss 1.25) first.
    await page.locator('#compare th[data-key="metrics.loss"]').click();
    await page.locator('#compare th[data-key="metrics.loss"]').click();
    expect(await page.locator('#compare tbody tr').first().getAttribute('data-run-id')).toBe(f.childRunIds[1]);
    await page.locator('#compare-view').screenshot({ path: join(ARTIFACTS, 'compare.png') });
    expect(requests).toEqual([]);
    await page.close();
  });

  it('shows the runs when the registry is switched off, and says why the models are missing', async () => {
    const out = join(f.dir, 'no-registry.html');
    const made = await cli(['report', '--experiment', f.experimentName, '--out', out], { dbPath: f.dbPath, env: { LOGBOOK_MODEL_REGISTRY_ENABLED: 'false' } });
    expect(made.stderr).toBe('');
    expect(made.code).toBe(0);
    const { page, requests, errors } = await open(out);
    expect(await page.locator('#compare tbody tr').count()).toBe(4);
    expect(await page.locator('#models-unavailable').textContent()).toMatch(/^Registered models could not be read: .*modelRegistryEnabled/);
    expect(requests).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });
});
