import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHost } from '../../../examples/koa-host/test/support.js';
import type { TestHost } from '../../../examples/koa-host/test/support.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const schemathesis = `${root}.cache/venv/bin/schemathesis`;
/**
 * Cases per operation: bounded so the whole run stays under a minute on 2 cores. One worker:
 * with two, hypothesis parses lambda sources from two threads at once, which CPython 3.11 can
 * fail with "AST constructor recursion depth mismatch" (a runner error, not a finding).
 */
const MAX_EXAMPLES = 5;

function run(command: string, args: string[], cwd: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    // cwd: a temporary folder, so hypothesis' working folder (.hypothesis) is not left in the repository.
    const child = spawn(command, args, { cwd, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c: Buffer) => { output += c.toString(); });
    child.stderr.on('data', (c: Buffer) => { output += c.toString(); });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

describe('OpenAPI fuzzing with schemathesis', () => {
  let t: TestHost;
  const serverErrors: string[] = [];
  let config: string;
  beforeAll(async () => {
    t = await startHost({ onServerError: (error, info) => serverErrors.push(`${info.status} ${info.route}: ${String(error)}`) });
    // Real ids, used for half of the generated values, so cases get past the lookups into the
    // stores (log-batch into a live run, transitions of a real version, a real artifact).
    const experiment = (await t.api('/experiments', { body: { name: 'fuzz' } })).body.experiment_id as string;
    const run = (await t.api(`/experiments/${experiment}/runs`, { body: {} })).body.run;
    await t.host.logbook.stores.artifacts.put(run.info.artifact_uri, 'out/a.txt', Buffer.from('fuzz'));
    await t.api('/models/register', { body: { name: 'fuzz-model', source: 's3://b/m' } });
    const dictionary = (name: string, values: string[]) => `[dictionaries.${name}]\nvalues = ${JSON.stringify(values)}\n`;
    const bind = (key: string, name: string) => `"${key}" = { dictionary = "${name}", probability = 0.5 }\n`;
    config = join(mkdtempSync(join(tmpdir(), 'fuzz-')), 'schemathesis.toml');
    writeFileSync(config, [
      dictionary('runs', [run.info.run_id]), dictionary('experiments', [experiment]), dictionary('models', ['fuzz-model']),
      dictionary('paths', ['out/a.txt']), dictionary('versions', ['1']),
      '[parameters]\n', bind('path.run_id', 'runs'), bind('query.run_ids', 'runs'), bind('path.experiment_id', 'experiments'),
      bind('path.name', 'models'), bind('path.path', 'paths'), bind('path.version', 'versions'),
    ].join(''));
  });
  afterAll(async () => { await t?.close(); });

  it('finds no 5xx in any operation of the document', { timeout: 120_000 }, async () => {
    expect(existsSync(schemathesis), 'schemathesis is missing: run `bash scripts/setup-python.sh`').toBe(true);
    const { code, output } = await run(schemathesis, [
      '--config-file', config, 'run', `${t.base}/openapi.json`, '--url', t.base,
      '--checks', 'not_a_server_error', '--max-examples', String(MAX_EXAMPLES), '--seed', '20261129',
      '--phases', 'examples,coverage,fuzzing', '--header', `X-API-Key: ${t.keys.admin}`,
      '--request-timeout', '10', '--workers', '1', '--no-color',
    ], dirname(config));
    expect(serverErrors, output).toEqual([]);
    expect(code, output).toBe(0);
    expect(output).toMatch(/(\d+) generated, \1 passed/);
  });
});
