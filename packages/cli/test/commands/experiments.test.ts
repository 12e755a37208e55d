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

describe('experiments list', () => {
  it('lists every active experiment with its id, by name', async () => {
    const { code, stdout } = await cli(['experiments', 'list'], { dbPath: f.dbPath });
    expect(code).toBe(0);
    const names = stdout
      .trim()
      .split('\n')
      .slice(1)
      .map((line) => line.split(/\s{2,}/)[1]);
    expect(names).toEqual(['Default', 'tabular', 'vision/resnet', 'vision/unet']);
    expect(stdout).toMatch(new RegExp(`^${f.experimentId}\\s+vision/unet`, 'm'));
  });

  it('shows the name hierarchy with --tree', async () => {
    const { code, stdout } = await cli(['experiments', 'list', '--tree'], { dbPath: f.dbPath });
    expect(code).toBe(0);
    expect(stdout).toContain(`vision/\n  resnet  [`);
    expect(stdout).toContain(`  unet  [${f.experimentId}]`);
  });

  it('prints the experiments as JSON with --json', async () => {
    const { code, stdout } = await cli(['--json', 'experiments', 'list', '--prefix', 'vision'], { dbPath: f.dbPath });
    expect(code).toBe(0);
    const parsed = JSON.parse(stdout) as { name: string; experimentId: string }[];
    expect(parsed.map((e) => e.name)).toEqual(['vision/resnet', 'vision/unet']);
  });
});
