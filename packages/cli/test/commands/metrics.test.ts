import { join } from 'node:path';
import type { Metric } from '@logbook/core';
import { SqliteStore } from '@logbook/sqlite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, createFixture } from '../fixture.js';
import type { Fixture } from '../fixture.js';

let f: Fixture;
beforeAll(async () => {
  f = await createFixture();
});
afterAll(async () => {
  await f.cleanup();
});

describe('metrics', () => {
  it('prints every point of a metric in order', async () => {
    const { code, stdout } = await cli(['metrics', f.childRunIds[0], 'loss'], { dbPath: f.dbPath });
    expect(code).toBe(0);
    const rows = stdout
      .trim()
      .split('\n')
      .slice(1)
      .map((line) => line.split(/\s{2,}/).slice(0, 2));
    expect(rows).toEqual(f.lossHistory.map((v, step) => [String(step), String(v)]));
  });

  it('returns the points as JSON', async () => {
    const { stdout } = await cli(['metrics', f.childRunIds[1], 'loss', '--json'], { dbPath: f.dbPath });
    const points = JSON.parse(stdout) as Metric[];
    expect(points.map((p) => [p.step, p.value])).toEqual(f.lossHistory.map((v, step) => [step, v + 1]));
  });

  it('names the metrics the run has when the key is unknown (exit 3)', async () => {
    const { code, stderr } = await cli(['metrics', f.childRunIds[0], 'lossy'], { dbPath: f.dbPath });
    expect(code).toBe(3);
    expect(stderr).toContain("has no metric 'lossy'; its metrics are: accuracy, loss");
  });

  it('fails with exit 3 for an unknown run', async () => {
    expect((await cli(['metrics', 'ffffffffffffffffffffffffffffffff', 'loss'], { dbPath: f.dbPath })).code).toBe(3);
  });

  it('prints a metric of 150,000 points as a table and as JSON (no stack overflow)', async () => {
    const points = 150_000;
    const path = join(f.dir, 'long.db');
    const store = new SqliteStore({ path });
    const run = await store.createRun({ experimentId: '0' });
    for (let start = 0; start < points; start += 1000) {
      const metrics = Array.from({ length: 1000 }, (_, i) => ({ key: 'loss', value: 1 / (start + i + 1), timestamp: 1_700_000_000_000 + start + i, step: start + i }));
      await store.logBatch(run.info.runId, { metrics });
    }
    await store.close();

    const table = await cli(['metrics', run.info.runId, 'loss'], { dbPath: path });
    expect(table.stderr).toBe('');
    expect(table.code).toBe(0);
    const lines = table.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(points + 1);
    expect(lines[0]).toMatch(/^STEP {4}VALUE/);
    // Columns are padded to the widest cell of every page, the last one included.
    expect(lines[points]).toBe('149999  0.00000666667  2023-11-14 22:15:49');
    expect(lines[1]!.indexOf('1 ')).toBe(8);

    const json = await cli(['metrics', run.info.runId, 'loss', '--json'], { dbPath: path });
    expect(json.code).toBe(0);
    const parsed = JSON.parse(json.stdout) as Metric[];
    expect(parsed).toHaveLength(points);
    expect(parsed[points - 1]).toEqual({ key: 'loss', value: 1 / points, timestamp: 1_700_000_000_000 + points - 1, step: points - 1 });
  }, 120_000);
});
