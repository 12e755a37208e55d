import type { Metric } from '@logbook/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, createFixture } from '../fixture.js';
import type { Fixture } from '../fixture.js';

let f: Fixture;
beforeAll(async () => { f = await createFixture(); });
afterAll(async () => { await f.cleanup(); });

describe('metrics', () => {
  it('prints every point of a metric in order', async () => {
    const { code, stdout } = await cli(['metrics', f.childRunIds[0], 'loss'], { dbPath: f.dbPath });
    expect(code).toBe(0);
    const rows = stdout.trim().split('\n').slice(1).map((line) => line.split(/\s{2,}/).slice(0, 2));
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
});
