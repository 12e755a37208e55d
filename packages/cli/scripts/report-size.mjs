// Size and memory of `logbook report`, on demand (a measurement, not a test):
//   pnpm exec tsc -b packages/cli && node packages/cli/scripts/report-size.mjs [--runs 100] [--metrics 10] [--points 10000]
// Logs runs × metrics × points into a fresh SQLite file through SqliteStore.logBatch (1,000 points
// per batch), then runs the built `logbook report` in a child process and prints the file size and
// the child's peak RSS (getrusage maxRSS, read by a tiny --import hook at exit). Last line: JSON.
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
  const hook = `data:text/javascript,${encodeURIComponent("process.on('exit',()=>process.stderr.write('MAXRSS '+process.resourceUsage().maxRSS+'\\n'))")}`;
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
  const maxRssKb = Number(/MAXRSS (\d+)/.exec(stderr)?.[1]);
  const bytes = (await stat(out)).size;
  process.stdout.write(stdout);
  console.log(JSON.stringify({
    bench: 'report', runs: RUNS, metrics: METRICS, points: POINTS, seedSeconds,
    fileMb: +(bytes / 1e6).toFixed(2), peakRssMb: +(maxRssKb / 1024).toFixed(1), reportSeconds: seconds,
  }));
} finally {
  await rm(dir, { recursive: true, force: true });
}
