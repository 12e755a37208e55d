/*
 * Logging throughput, on demand: `pnpm bench:logging [--points N]` (default 1,000,000).
 *
 * The same metric points (10 keys per step, one timestamp per step) are written three ways, each
 * to a fresh SQLite file, in one process:
 *   (a) raw: a better-sqlite3 prepared INSERT into a table of the store's `metrics` schema, in
 *       transactions of 1000 rows: the floor of what SQLite costs;
 *   (b) api: `ExperimentTracker.logMetrics` into the SQLite store, through the batching logger,
 *       including the final flush (`endRun`);
 *   (c) decorator: a `@LogMetric` method called in a `@Track`'ed loop.
 * The loops of (b) and (c) yield to the event loop every 1000 points, as a training loop that
 * awaits its data does, so flushes run while logging goes on. Every file is checked to hold
 * exactly N points before the figures are printed. Last line: one JSON object.
 *
 * Built with tsc (decorator metadata, see docs) and run from the built packages' dist/.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { KEYS, T0, parsePoints } from './metric-points.js';

// The root package depends on no workspace package, so the built packages are loaded by path
// (from bench/dist/, where this file runs).
const root = new URL('../../', import.meta.url);
await import(new URL('packages/sqlite/dist/index.js', root).href);
const core = (await import(new URL('packages/core/dist/index.js', root).href)) as typeof import('../packages/core/dist/index.js');
const { LogMetric, Track, createLogbook } = core;
type Logbook = import('../packages/core/dist/index.js').Logbook;

/** The part of better-sqlite3 used here (it is a dependency of @logbook/sqlite, not of the root). */
interface Db {
  pragma(sql: string): unknown;
  exec(sql: string): void;
  prepare(sql: string): { run(...args: unknown[]): unknown; get(...args: unknown[]): unknown };
  transaction<A extends unknown[]>(fn: (...args: A) => void): (...args: A) => void;
  close(): void;
}
const Database = createRequire(new URL('packages/sqlite/package.json', root))('better-sqlite3') as new (path: string) => Db;

const YIELD_EVERY_STEPS = 100; // 1000 points

const value = (step: number, k: number): number => Math.sin(step * 0.001 + k);

/** The metrics of one step, as a training loop would produce them. */
function stepMetrics(step: number): Record<string, number> {
  const m: Record<string, number> = {};
  for (let k = 0; k < KEYS.length; k++) m[KEYS[k]!] = value(step, k);
  return m;
}

function countPoints(path: string): number {
  const db = new Database(path);
  try {
    return (db.prepare('SELECT count(*) AS n FROM metrics').get() as { n: number }).n;
  } finally {
    db.close();
  }
}

/** Wall-clock and CPU seconds of one phase. */
interface Timing {
  readonly wall: number;
  readonly cpu: number;
}

function startTimer(): () => Timing {
  const wall = performance.now();
  const cpu = process.cpuUsage();
  return () => {
    const used = process.cpuUsage(cpu);
    return { wall: (performance.now() - wall) / 1000, cpu: (used.user + used.system) / 1e6 };
  };
}

/** (a) The floor: prepared single-row inserts, 1000 per transaction, WAL + synchronous=NORMAL as the store. */
function raw(path: string, points: number): Timing {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec(`CREATE TABLE metrics (
    run_id INTEGER NOT NULL, key TEXT NOT NULL, timestamp INTEGER NOT NULL, step INTEGER NOT NULL,
    value REAL NOT NULL, is_nan INTEGER NOT NULL, seq INTEGER NOT NULL,
    PRIMARY KEY (run_id, key, timestamp, step, value, is_nan)) WITHOUT ROWID`);
  const insert = db.prepare('INSERT OR IGNORE INTO metrics (run_id, key, timestamp, step, value, is_nan, seq) VALUES (?, ?, ?, ?, ?, ?, ?)');
  const chunk = db.transaction((from: number, to: number, seq: number) => {
    for (let i = from; i < to; i++) {
      const step = Math.floor(i / KEYS.length),
        k = i % KEYS.length;
      insert.run(1, KEYS[k], T0 + step, step, value(step, k), 0, seq);
    }
  });
  const stop = startTimer();
  for (let i = 0, seq = 1; i < points; i += 1000, seq++) chunk(i, Math.min(points, i + 1000), seq);
  const timing = stop();
  db.close();
  return timing;
}

/** (b) `tracker.logMetrics` per step, then `endRun` (which drains the run's buffer). */
async function api(lb: Logbook, points: number): Promise<Timing> {
  const runId = await lb.tracker.startRun(await lb.tracker.getOrCreateExperiment('bench/logging'), 'api');
  const stop = startTimer();
  for (let step = 0; step < points / KEYS.length; step++) {
    lb.tracker.logMetrics(stepMetrics(step), step, runId, T0 + step);
    if (step % YIELD_EVERY_STEPS === YIELD_EVERY_STEPS - 1) await yieldToLoop();
  }
  await lb.tracker.endRun(runId);
  return stop();
}

let decoratedLogbook: Logbook | undefined;

/** (c) A `@LogMetric` method returning the step's metrics, called from a `@Track`'ed loop. */
class Trainer {
  @Track({ experiment: 'bench/logging', runName: 'decorator', logbook: () => decoratedLogbook! })
  async train(steps: number): Promise<void> {
    for (let step = 0; step < steps; step++) {
      this.evaluate(step);
      if (step % YIELD_EVERY_STEPS === YIELD_EVERY_STEPS - 1) await yieldToLoop();
    }
  }

  @LogMetric(undefined, { step: 'arg:0' })
  evaluate(step: number): Record<string, number> {
    return stepMetrics(step);
  }
}

async function viaLogbook(path: string, points: number, write: (lb: Logbook) => Promise<Timing>): Promise<Timing> {
  const lb = await createLogbook({ trackingUri: path, logging: { maxBufferedPoints: Math.max(points, 1_000_000) } });
  try {
    const timing = await write(lb);
    const { dropped, failed } = lb.stats();
    if (dropped + failed > 0) throw new Error(`${dropped} points dropped, ${failed} failed`);
    return timing;
  } finally {
    await lb.close();
  }
}

const points = parsePoints(process.argv.slice(2), 1_000_000);
const dir = mkdtempSync(join(tmpdir(), 'logbook-bench-logging-'));
try {
  const files = { raw: join(dir, 'raw.db'), api: join(dir, 'api.db'), decorator: join(dir, 'decorator.db') };
  const a = raw(files.raw, points);
  const b = await viaLogbook(files.api, points, (lb) => api(lb, points));
  const c = await viaLogbook(files.decorator, points, async (lb) => {
    decoratedLogbook = lb;
    const stop = startTimer();
    await new Trainer().train(points / KEYS.length);
    return stop();
  });
  for (const [name, path] of Object.entries(files)) {
    const n = countPoints(path);
    if (n !== points) throw new Error(`${name}: ${n} points stored, expected ${points}`);
  }
  const peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
  const fmt = (t: Timing) =>
    `${Math.round(points / t.wall)
      .toLocaleString('en-US')
      .padStart(11)} points/s  (${t.wall.toFixed(2)} s wall, ${t.cpu.toFixed(2)} s CPU)`;
  console.log(`logging benchmark: ${points.toLocaleString('en-US')} metric points, ${KEYS.length} keys per step, node ${process.version}`);
  console.log(`  (a) raw better-sqlite3, 1000/tx  ${fmt(a)}`);
  console.log(`  (b) tracker.logMetrics + flush   ${fmt(b)}`);
  console.log(`  (c) @LogMetric in @Track         ${fmt(c)}`);
  // Throughput ratios are wall-clock ratios; the CPU ratios show the same without disk waits.
  const ratios = { api_vs_raw: a.wall / b.wall, decorator_vs_raw: a.wall / c.wall };
  console.log(`  b/a = ${ratios.api_vs_raw.toFixed(2)} (target >= 0.6)   c/a = ${ratios.decorator_vs_raw.toFixed(2)} (target >= 0.5)   peak RSS ${peakRssMb} MB`);
  console.log(`  by CPU time: b/a = ${(a.cpu / b.cpu).toFixed(2)}   c/a = ${(a.cpu / c.cpu).toFixed(2)}`);
  console.log(JSON.stringify({ bench: 'logging', ratios: { api_vs_raw: round(ratios.api_vs_raw), decorator_vs_raw: round(ratios.decorator_vs_raw) }, peakRssMb }));
} finally {
  rmSync(dir, { recursive: true, force: true });
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
