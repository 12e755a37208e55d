import type { ModelVersion, RegisteredModel } from '@logbook/core';
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

describe('models list', () => {
  it('lists registered models with their latest version per stage', async () => {
    const { code, stdout } = await cli(['models', 'list'], { dbPath: f.dbPath });
    expect(code).toBe(0);
    expect(stdout).toMatch(/^unet\s+.*2 \(Staging\)/m);
    const models = JSON.parse((await cli(['models', 'list', '--json'], { dbPath: f.dbPath })).stdout) as RegisteredModel[];
    expect(models.map((m) => m.name)).toEqual(['unet']);
  });
});

describe('models versions', () => {
  it('lists every version, newest first, with stage, semver and run', async () => {
    const { code, stdout } = await cli(['models', 'versions', 'unet'], { dbPath: f.dbPath });
    expect(code).toBe(0);
    const lines = stdout.trim().split('\n');
    expect(lines[1]).toMatch(new RegExp(`^2\\s+Staging\\s+1\\.1\\.0\\s+${f.childRunIds[1]}`));
    expect(lines[2]).toMatch(new RegExp(`^1\\s+Archived\\s+1\\.0\\.0\\s+${f.childRunIds[0]}`));
    const versions = JSON.parse((await cli(['models', 'versions', 'unet', '--json'], { dbPath: f.dbPath })).stdout) as ModelVersion[];
    expect(versions.map((v) => v.version)).toEqual(['1', '2']);
  });

  it('fails with exit 3 for an unknown model', async () => {
    const { code, stderr } = await cli(['models', 'versions', 'no-such-model'], { dbPath: f.dbPath });
    expect(code).toBe(3);
    expect(stderr).toContain('no-such-model');
  });
});
