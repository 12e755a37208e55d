import type { Run, RunComparison } from '@logbook/core';
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

describe('runs list', () => {
  it('lists the runs of an experiment given by name, parents shown', async () => {
    const { code, stdout } = await cli(['runs', 'list', '--experiment', 'vision/unet'], { dbPath: f.dbPath });
    expect(code).toBe(0);
    const lines = stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^RUN ID\s+NAME\s+STATUS\s+STARTED\s+DURATION\s+PARENT$/);
    expect(lines).toHaveLength(4);
    for (const id of f.childRunIds) expect(stdout).toMatch(new RegExp(`^${id}\\s+lr-\\S+\\s+FINISHED.*${f.parentRunId}$`, 'm'));
  });

  it('accepts the experiment id, a filter, an order and a limit', async () => {
    const { code, stdout } = await cli(['--json', 'runs', 'list', '-e', f.experimentId, '--filter', "params.epochs = '3'", '--order-by', 'metrics.loss DESC', '--max-results', '1'], {
      dbPath: f.dbPath,
    });
    expect(code).toBe(0);
    const runs = JSON.parse(stdout) as Run[];
    expect(runs.map((r) => r.info.runId)).toEqual([f.childRunIds[1]]); // lr 0.1 has the higher loss
  });

  it('says when more runs match than --max-results shows', async () => {
    const { stderr } = await cli(['runs', 'list', '-e', 'vision/unet', '--max-results', '2'], { dbPath: f.dbPath });
    expect(stderr).toContain('More runs match');
  });

  it('fails with exit 3 for an unknown experiment and exit 2 for a bad filter or limit', async () => {
    const unknown = await cli(['runs', 'list', '-e', 'no/such'], { dbPath: f.dbPath });
    expect(unknown.code).toBe(3);
    expect(unknown.stderr).toContain("No experiment named or numbered 'no/such'");
    expect((await cli(['runs', 'list', '-e', 'vision/unet', '--filter', 'metrics.loss <<< 1'], { dbPath: f.dbPath })).code).toBe(2);
    expect((await cli(['runs', 'list', '-e', 'vision/unet', '--max-results', 'ten'], { dbPath: f.dbPath })).code).toBe(2);
  });
});

describe('runs show', () => {
  it('shows params, latest metrics, tags and children', async () => {
    const child = await cli(['runs', 'show', f.childRunIds[0]], { dbPath: f.dbPath });
    expect(child.code).toBe(0);
    expect(child.stdout).toMatch(/^Run [0-9a-f]+:\n  name\s+lr-0\.01$/m);
    expect(child.stdout).toMatch(/^  lr\s+0\.01$/m);
    expect(child.stdout).toMatch(/^  loss\s+0\.25\s+2\s/m); // the latest point: step 2
    expect(child.stdout).toMatch(/^  team\s+vision$/m);
    expect(child.stdout).toMatch(new RegExp(`^  parent\\s+${f.parentRunId}$`, 'm'));
    expect(child.stdout).toContain('Child runs: (none)');

    const parent = await cli(['runs', 'show', f.parentRunId], { dbPath: f.dbPath });
    expect(parent.stdout).toContain('Child runs:\n  RUN ID');
    for (const id of f.childRunIds) expect(parent.stdout).toContain(id);
  });

  it('prints run, experiment and children as JSON with --json', async () => {
    const { stdout } = await cli(['runs', 'show', f.parentRunId, '--json'], { dbPath: f.dbPath });
    const details = JSON.parse(stdout) as { run: Run; experiment: { name: string }; children: Run[] };
    expect(details.run.data.params).toEqual({ dataset: 'stars-v1' });
    expect(details.experiment.name).toBe('vision/unet');
    expect(details.children.map((c) => c.info.runId).sort()).toEqual([...f.childRunIds].sort());
  });

  it('fails with exit 3 and the id for an unknown run', async () => {
    const { code, stderr } = await cli(['runs', 'show', '0123456789abcdef0123456789abcdef'], { dbPath: f.dbPath });
    expect(code).toBe(3);
    expect(stderr).toContain('0123456789abcdef0123456789abcdef');
  });
});

describe('runs compare', () => {
  it('puts params and metrics side by side and marks the differences', async () => {
    const { code, stdout } = await cli(['runs', 'compare', ...f.childRunIds], { dbPath: f.dbPath });
    expect(code).toBe(0);
    expect(stdout).toMatch(/^\s+PARAM\s+lr-0\.01\s+lr-0\.1$/m);
    expect(stdout).toMatch(/^\*\s+lr\s+0\.01\s+0\.1$/m);
    expect(stdout).toMatch(/^ \s+epochs\s+3\s+3$/m);
    expect(stdout).toMatch(/^\*\s+loss\s+0\.25\s+1\.25$/m);
    expect(stdout).toMatch(/^ \s+accuracy\s+0\.8\s+0\.8$/m);
  });

  it('returns the comparison as JSON', async () => {
    const { stdout } = await cli(['--json', 'runs', 'compare', ...f.childRunIds], { dbPath: f.dbPath });
    const c = JSON.parse(stdout) as RunComparison;
    expect(c.params.find((p) => p.key === 'lr')).toEqual({ key: 'lr', values: ['0.01', '0.1'], differs: true });
  });

  it('needs two runs (exit 2) that exist (exit 3)', async () => {
    expect((await cli(['runs', 'compare', f.parentRunId], { dbPath: f.dbPath })).code).toBe(2);
    expect((await cli(['runs', 'compare', f.parentRunId, 'ffffffffffffffffffffffffffffffff'], { dbPath: f.dbPath })).code).toBe(3);
  });
});
