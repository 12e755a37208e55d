import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { SqliteStore } from '../src/index.js';
import { MIGRATIONS } from '../src/schema/migrations.js';
import { buildPackage, startLogger } from './child-processes.js';
import { tempDir } from './helpers.js';

const POINTS = 250;

// Real child processes run the built package (one build for both suites: parallel tsc -b runs
// would write the same dist/ files).
describe('SqliteStore with several processes', () => {
  const tmp = tempDir('logbook-processes-');
  beforeAll(() => buildPackage(), 120_000);
  afterAll(() => tmp.remove());

  describe('durability', () => {
    const path = join(tmp.dir, 'killed.db');
    it('a process SIGKILLed while logging leaves a database that opens, passes integrity_check and holds every committed batch', async () => {
      for (let round = 0; round < 4; round++) {
        const setup = new SqliteStore({ path });
        const runId = (await setup.createRun({ experimentId: '0', runName: `round-${round}` })).info.runId;
        await setup.close();

        const logger = startLogger(path, runId, POINTS, 'forever');
        await logger.waitForBatch(3 + round * 2);
        // Kill at an arbitrary moment of the loop, most likely inside a write transaction.
        await sleep(Math.floor(Math.random() * 10));
        logger.child.kill('SIGKILL');
        expect((await logger.exited).signal).toBe('SIGKILL');
        const reported = logger.lastBatch();

        const db = new Database(path);
        expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
        db.close();

        const store = new SqliteStore({ path });
        const history = (await store.getMetricHistory(runId, 'loss')).items;
        const run = await store.getRun(runId);
        await store.close();
        // Everything reported committed is there; at most the batch in flight may be, whole or not at all.
        expect(history.length).toBeGreaterThanOrEqual((reported + 1) * POINTS);
        expect(history.length % POINTS).toBe(0);
        expect(history.map((m) => m.step)).toEqual(Array.from({ length: history.length }, (_, i) => i));
        expect(run.data.tags.batch).toBe(String(history.length / POINTS - 1));
        expect(run.data.metrics).toEqual([{ key: 'loss', value: 1 / history.length, timestamp: 1_700_000_000_000 + history.length - 1, step: history.length - 1 }]);
      }
    }, 120_000);
  });

  describe('concurrency', () => {
    it('two processes opening a fresh file and logging to it at once both complete with all their points', async () => {
      const path = join(tmp.dir, 'shared.db');
      const batches = 40;
      const points = POINTS;
      const loggers = [startLogger(path, 'new', points, batches), startLogger(path, 'new', points, batches)];
      const exits = await Promise.all(loggers.map((l) => l.exited));
      expect(exits).toEqual([
        { code: 0, signal: null },
        { code: 0, signal: null },
      ]);

      const store = new SqliteStore({ path });
      for (const logger of loggers) {
        const runId = logger.runId()!;
        expect(logger.lastBatch()).toBe(batches - 1);
        const history = (await store.getMetricHistory(runId, 'loss')).items;
        expect(history).toHaveLength(batches * points);
        expect((await store.getRun(runId)).data.tags.batch).toBe(String(batches - 1));
      }
      expect((await store.searchRuns({ experimentIds: ['0'] })).items).toHaveLength(2);
      await store.close();
      const db = new Database(path, { readonly: true });
      // Each migration applied once, by one of the two processes.
      expect(db.prepare('SELECT version FROM schema_version ORDER BY version').all()).toEqual(MIGRATIONS.map((m) => ({ version: m.version })));
      expect(db.prepare("SELECT COUNT(*) AS n FROM experiments WHERE name = 'Default'").get()).toEqual({ n: 1 });
      db.close();
    }, 120_000);
  });
});
