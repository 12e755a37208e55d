// Size and memory of `logbook report`, on demand (a measurement, not a test):
//   pnpm exec tsc -b packages/cli && node packages/cli/scripts/report-size.mjs [--runs 100] [--metrics 10] [--points 10000] [--chromium]
// Logs runs × metrics × points into a fresh SQLite file through SqliteStore.logBatch (1,000 points
// per batch), then runs the built `logbook report` in a child process and prints the file size and
// the child's peak RSS and CPU time (getrusage, read by a tiny --import hook at exit). With
// --chromium, also the time from navigation to the first chart and until every view is drawn in Debian's chromium
// (playwright-core, no network). Last line: JSON.
import { spawn } from 'node:child_process';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SqliteStore } from '@logbook/sqlite';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? fallback : Number(process.argv[i + 1]);
};
const RUNS = arg('runs', 100);
const METRICS = arg('metrics', 10);
const POINTS = arg('points', 10_000);
const bin = fileURLToPath(new URL('../dist/bin.js', import.meta.url));

const dir = await mkdtemp(join(tmpdir(), 'logbook-report-size-'));
try {
  const dbPath = join(dir, 'logbook.db');
  const store = new SqliteStore({ path: dbPath });
  const seeded = Date.now();
  const experimentId = await store.createExperiment({ name: 'sweep' });
  const t0 = 1_700_000_000_000;
  for (let r = 0; r < RUNS; r++) {
    const run = await store.createRun({ experimentId, runName: `run-${r}`, startTime: t0 });
    const runId = run.info.runId;
    await store.logBatch(runId, { params: [{ key: 'lr', value: String(0.001 * (r + 1)) }, { key: 'seed', value: String(r % 7) }] });
    for (let m = 0; m < METRICS; m++) {
      for (let start = 0; start < POINTS; start += 1000) {
        const metrics = [];
        for (let step = start; step < Math.min(POINTS, start + 1000); step++) {
          // A noisy decaying curve: LTTB has to keep the spikes.
          const value = (1 + m) / (1 + step * 0.01 * (1 + r / RUNS)) + Math.sin(step * 0.37 + r) * 0.01;
          metrics.push({ key: `metric_${m}`, value, timestamp: t0 + step * 500, step });
        }
        await store.logBatch(runId, { metrics });
      }
    }
  }
  await store.close();
  const seedSeconds = (Date.now() - seeded) / 1000;

  const out = join(dir, 'report.html');
  const hook = `data:text/javascript,${encodeURIComponent("process.on('exit',()=>{const u=process.resourceUsage();process.stderr.write('MAXRSS '+u.maxRSS+' CPU '+(u.userCPUTime+u.systemCPUTime)+'\\n')})")}`;
  const started = Date.now();
  const { code, stderr, stdout } = await new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', hook, bin, '--tracking-uri', dbPath, 'report', '--experiment', 'sweep', '--out', out], { stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    let outText = '';
    child.stdout.on('data', (d) => (outText += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('exit', (c) => resolve({ code: c, stderr: err, stdout: outText }));
  });
  const seconds = (Date.now() - started) / 1000;
  if (code !== 0) throw new Error(`logbook report exited ${code}: ${stderr}`);
  const usage = /MAXRSS (\d+) CPU (\d+)/.exec(stderr);
  const maxRssKb = Number(usage?.[1]);
  const cpuSeconds = Number(usage?.[2]) / 1e6;
  const chartsSeconds = process.argv.includes('--chromium') ? await timeToCharts(out) : undefined;
  const bytes = (await stat(out)).size;
  process.stdout.write(stdout);
  console.log(JSON.stringify({
    bench: 'report', runs: RUNS, metrics: METRICS, points: POINTS, seedSeconds,
    fileMb: +(bytes / 1e6).toFixed(2), peakRssMb: +(maxRssKb / 1024).toFixed(1), reportSeconds: seconds,
    reportCpuSeconds: +cpuSeconds.toFixed(1), chartsSeconds,
  }));
} finally {
  await rm(dir, { recursive: true, force: true });
}

/** Seconds from navigation until the page has drawn every chart (body[data-ready]), and the page's own marks. */
async function timeToCharts(file) {
  const { chromium } = await import('playwright-core');
  const profile = await mkdtemp(join(tmpdir(), 'logbook-chromium-'));
  const browser = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium', headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    const page = await browser.newPage();
    // The first frame that shows a chart: the frame after its canvas is in the document.
    await page.addInitScript(() => {
      new MutationObserver((_, observer) => {
        if (document.querySelector('#charts .chart canvas') === null) return;
        observer.disconnect();
        requestAnimationFrame(() => { window.__firstChartFrameMs = performance.now(); });
      }).observe(document, { subtree: true, childList: true });
    });
    const started = Date.now();
    await page.goto(`file://${file}`);
    await page.waitForSelector('body[data-ready="true"]', { timeout: 300_000 });
    const seconds = (Date.now() - started) / 1000;
    // The page's own clock (ms since navigation started): first chart built, first frame showing it,
    // first contentful paint (the title and controls, painted while the file is still parsed),
    // every chart built, and the first frame after that.
    const marks = await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => done({
      firstChartMs: window.__logbookReport.firstChartMs, readyMs: window.__logbookReport.readyMs, paintedMs: performance.now(),
      firstPaintMs: performance.getEntriesByName('first-contentful-paint')[0]?.startTime, firstChartFrameMs: window.__firstChartFrameMs,
    }))));
    const sec = (ms) => (ms === undefined ? undefined : +(ms / 1000).toFixed(2));
    return {
      seconds, firstChartSeconds: sec(marks.firstChartMs), firstChartFrameSeconds: sec(marks.firstChartFrameMs), firstPaintSeconds: sec(marks.firstPaintMs),
      allViewsSeconds: sec(marks.readyMs), paintedSeconds: sec(marks.paintedMs),
    };
  } finally {
    await browser.close();
    await rm(profile, { recursive: true, force: true });
  }
}
