import '@logbook/sqlite';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ModelStage, createLogbook } from '@logbook/core';
import type { Logbook } from '@logbook/core';
import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHost } from '../../../../examples/koa-host/test/support.js';
import type { TestHost } from '../../../../examples/koa-host/test/support.js';
import { ensureChromium, launchChromium, openReportPage } from '../../../../test/setup/chromium.js';

const skipReason = ensureChromium();
if (skipReason !== undefined) console.warn(skipReason);
const ARTIFACTS = resolve(dirname(fileURLToPath(import.meta.url)), '../../../../.cache/report-screenshots');
const POINTS = 3000;
/** A name with a comma and a non-BMP character: the query takes it whole. */
const OTHER = 'other, 🌌 night';
/** A sweep: lr and batch differ, seed is the same everywhere (so it gets no axis). */
const SWEEP = [
  { name: 'a', lr: 0.1, batch: 32, loss: 0.9 },
  { name: 'b', lr: 0.01, batch: 64, loss: 0.4 },
  { name: 'c 🌌', lr: 0.001, batch: 32, loss: 0.6 },
];

describe.skipIf(skipReason !== undefined)('GET /mlflow/ui (the report page, served by the example host, in chromium)', () => {
  let dir: string;
  let lb: Logbook;
  let t: TestHost;
  let browser: BrowserContext;
  const runIds: string[] = [];
  let otherRunId: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'logbook-ui-'));
    lb = await createLogbook({ trackingUri: join(dir, 'logbook.db'), logLevel: 'silent', spool: { enabled: false } });
    const sweep = await lb.tracker.createExperiment('sweep/unet');
    for (const s of SWEEP) {
      const id = await lb.tracker.startRun(sweep, s.name);
      lb.tracker.logParameters({ lr: s.lr, batch: s.batch, seed: 7 }, id);
      for (let step = 0; step < POINTS; step++) lb.tracker.logMetric('loss', s.loss + 1 / (1 + step), step, id, 1_700_000_000_000 + step);
      lb.tracker.logMetric('recall', 1 - s.loss / 2, 0, id);
      await lb.tracker.endRun(id);
      runIds.push(id);
    }
    const other = await lb.tracker.createExperiment(OTHER);
    otherRunId = await lb.tracker.startRun(other, 'elsewhere');
    lb.tracker.logMetric('loss', 5, 0, otherRunId);
    await lb.tracker.endRun(otherRunId);
    // Model `detector`: v1 from run a, v2 (derived from v1) from run b, v3 (from v2) with no run.
    await lb.versioning.createVersion('detector', `runs:/${runIds[0]}/model`, { runId: runIds[0]!, semver: '1.0.0' });
    await lb.versioning.createVersion('detector', `runs:/${runIds[1]}/model`, { runId: runIds[1]!, semver: '1.1.0', parentVersion: '1' });
    await lb.versioning.createVersion('detector', 'file:///models/v3', { semver: '2.0.0', parentVersion: '2' });
    await lb.versioning.promote('detector', '2', ModelStage.Production);
    await lb.registry.setAlias('detector', 'champion', '2');
    await lb.versioning.recordDeployment('detector', '1', { environment: 'staging', status: 'deployed', by: 'ci' });
    await lb.versioning.recordDeployment('detector', '2', { environment: 'production', status: 'deployed', by: 'ci' });
    for (let i = 0; i < 5; i++) await lb.versioning.logLiveMetrics('detector', '2', 'production', { recall: 0.8 - i * 0.01 });
    for (let i = 0; i < 3; i++) await lb.versioning.logLiveMetrics('detector', '1', 'staging', { recall: 0.5 });
    const secret = await lb.tracker.createExperiment('secret');
    lb.tracker.logMetric('loss', 1, 0, await lb.tracker.startRun(secret, 'hidden'));
    // The `granted` key may read the sweep and `other`, not `secret`, and no model.
    t = await startHost({ logbook: lb, grants: { experiments: { [other]: 'reader', [sweep]: 'reader' } } });
    await mkdir(ARTIFACTS, { recursive: true });
    browser = await launchChromium();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await lb?.close();
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  /** Opens the page as the reader, every other request refused. */
  async function open(query: string) {
    const opened = await openReportPage(browser, `${t.base}/ui${query}`, { 'x-api-key': t.keys.reader });
    expect(opened.status).toBe(200);
    return opened;
  }

  it('serves the charts of the chosen experiment with no request but the page itself', async () => {
    const { page, requests, errors } = await open('?experiment=sweep%2Funet');
    const charts = await page.evaluate(
      () => (globalThis as unknown as { __logbookReport: { runs: number; charts: Record<string, { series: number; points: number; storedPoints: number }> } }).__logbookReport,
    );
    expect(charts.runs).toBe(3);
    expect(charts.charts['loss']).toMatchObject({ series: 3, points: 3 * 2000, storedPoints: 3 * POINTS });
    expect(charts.charts['recall']).toMatchObject({ series: 3, points: 3 });
    await page.locator('#charts').screenshot({ path: join(ARTIFACTS, 'ui-metrics.png') });
    await page.screenshot({ path: join(ARTIFACTS, 'ui-page.png'), fullPage: true });
    expect(requests).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('draws parallel coordinates: an axis per differing param and the chosen metric, a line per run, hidden with the run', async () => {
    const { page, errors } = await open('?experiment=sweep%2Funet');
    const svg = page.locator('#parallel svg');
    expect(await svg.getAttribute('data-metric')).toBe('loss');
    expect(await page.locator('#parallel .pc-axis').evaluateAll((gs) => gs.map((g) => g.getAttribute('data-key')))).toEqual(['params.batch', 'params.lr', 'metrics.loss']);
    expect(await svg.getAttribute('data-lines')).toBe('3');
    // Each line goes through three axes: M + two L segments.
    const d = await page.locator(`#parallel path[data-run-id="${runIds[1]}"]`).getAttribute('d');
    expect(d?.match(/[ML]/g)).toEqual(['M', 'L', 'L']);
    // lr 0.01 of 0.001..0.1 sits low on the lr axis, its loss (the lowest) at the bottom of the metric axis.
    const ys = d!
      .split(/[ML]/)
      .filter((p) => p.trim() !== '')
      .map((p) => Number(p.trim().split(' ')[1]));
    expect(ys[2]).toBeGreaterThan(ys[1]!);
    // Brush the lr axis around this run's value: only its line stays; a click clears the brush.
    await svg.scrollIntoViewIfNeeded();
    const box = (await svg.boundingBox())!;
    const area = (await page.locator('#parallel rect.pc-brush-area[data-key="params.lr"]').boundingBox())!;
    const y = box.y + ys[1]! * (box.height / Number(await svg.getAttribute('height')));
    await page.mouse.move(area.x + area.width / 2, y - 6);
    await page.mouse.down();
    await page.mouse.move(area.x + area.width / 2, y + 6, { steps: 4 });
    await page.mouse.up();
    expect(await page.locator('#parallel svg').getAttribute('data-selected')).toBe('1');
    expect(await page.locator('#parallel path.pc-line:not(.pc-out)').evaluateAll((ps) => ps.map((p) => p.getAttribute('data-run-id')))).toEqual([runIds[1]]);
    await page.locator('#parallel').screenshot({ path: join(ARTIFACTS, 'ui-parallel-brushed.png') });
    await page.mouse.click(area.x + area.width / 2, area.y + 5);
    expect(await page.locator('#parallel svg').getAttribute('data-selected')).toBe('3');
    expect(await page.locator('#parallel path.pc-out').count()).toBe(0);
    await page.selectOption('#pc-metric', 'recall');
    expect(await page.locator('#parallel svg').getAttribute('data-metric')).toBe('recall');
    await page.locator(`input[data-run-id="${runIds[0]}"]`).uncheck();
    expect(await page.locator('#parallel svg').getAttribute('data-lines')).toBe('2');
    await page.locator('#parallel').screenshot({ path: join(ARTIFACTS, 'ui-parallel.png') });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('shows the model the runs produced: versions, stages, aliases, semver, lineage and live curves per deployment', async () => {
    const { page, errors } = await open(`?run=${runIds[0]}&run=${runIds[1]}`);
    const model = page.locator('.model[data-model="detector"]');
    expect(await model.getAttribute('data-versions')).toBe('3');
    expect(await model.getAttribute('data-deployments')).toBe('2');
    const v2 = model.locator('tr[data-version="2"]');
    expect(await v2.getAttribute('data-stage')).toBe('Production');
    expect(await v2.locator('td').allTextContents()).toEqual(expect.arrayContaining(['1.1.0', 'champion', '1']));
    expect(await model.locator('tr[data-version="3"]').getAttribute('class')).not.toContain('in-report');
    // Lineage: v3 under v2 under v1.
    expect(await model.locator('.lineage li[data-version="1"] li[data-version="2"] li[data-version="3"]').count()).toBe(1);
    const live = model.locator('.live-chart[data-metric="recall"]');
    expect(await live.getAttribute('data-series')).toBe('2');
    expect(await live.getAttribute('data-points')).toBe(String(5 + 3));
    expect(await live.locator('canvas').count()).toBe(1);
    await page.locator('#models').screenshot({ path: join(ARTIFACTS, 'ui-models.png') });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('is read-only and behind the API auth: 401 without a key, 403 for a grant that does not cover what it shows, 400 on bad input', async () => {
    expect((await t.api('/ui', { key: null })).status).toBe(401);
    expect((await t.api('/ui?experiment=secret', { key: t.keys.granted })).status).toBe(403);
    // Every experiment is granted, but the page would show model `detector`.
    const modelDenied = await t.api('/ui?experiment=sweep%2Funet', { key: t.keys.granted });
    expect(modelDenied.status).toBe(403);
    expect(modelDenied.body.message).toContain("model 'detector'");
    expect((await t.api('/ui?experiment=secret', { key: t.keys.reader })).status).toBe(200);
    const granted = await t.api(`/ui?experiment=${encodeURIComponent(OTHER)}`, { key: t.keys.granted });
    expect(granted.status).toBe(200);
    // The same policy as the page's <meta>: no request, and no script but the page's own (hashes).
    const csp = granted.headers.get('content-security-policy')!;
    expect(csp).toMatch(/^default-src 'none'; script-src ('sha256-[A-Za-z0-9+/]+=*' ?){5}; /);
    expect(csp).not.toMatch(/script-src[^;]*unsafe/);
    expect(granted.body).toContain(`<meta http-equiv="Content-Security-Policy" content="${csp}">`);
    expect(granted.body).toContain(otherRunId);
    expect(granted.body).toContain('1 runs, 1 metrics');
    // A browser logged in to the host: its session cookie is enough (the host's own auth).
    const login = await fetch(`${t.url}/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'carol', password: 'carol-Secret-3' }) });
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    expect((await fetch(`${t.base}/ui?experiment=secret`, { headers: { cookie } })).status).toBe(200);
    expect(await (await fetch(`${t.url}/`)).json()).toMatchObject({ report: '/mlflow/ui' });
    expect((await t.api('/ui', { method: 'POST', raw: '{}' })).status).toBe(405);
    const missing = await t.api('/ui?experiment=no%2Fsuch');
    expect(missing.status).toBe(404);
    const bad = await t.api(`/ui?run=${encodeURIComponent('../../etc/passwd')}`);
    expect(bad.status).toBe(400);
    expect(bad.body.message ?? JSON.stringify(bad.body)).toContain('run');
    const many = await t.api(`/ui?${Array.from({ length: 101 }, (_, i) => `experiment=e${i}`).join('&')}`);
    expect(many.status).toBe(400);
  });
});
