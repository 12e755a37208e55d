import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHost } from '../../../examples/koa-host/test/support.js';
import type { TestHost } from '../../../examples/koa-host/test/support.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const schemathesis = `${root}.cache/venv/bin/schemathesis`;
/** Cases per operation: bounded so the whole run stays well under a minute on 2 cores. */
const MAX_EXAMPLES = 5;

function run(command: string, args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
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
  beforeAll(async () => {
    t = await startHost({ onServerError: (error, info) => serverErrors.push(`${info.status} ${info.route}: ${String(error)}`) });
  });
  afterAll(async () => { await t?.close(); });

  it('finds no 5xx in any operation of the document', { timeout: 120_000 }, async () => {
    expect(existsSync(schemathesis), 'schemathesis is missing: run `bash scripts/setup-python.sh`').toBe(true);
    const { code, output } = await run(schemathesis, [
      'run', `${t.base}/openapi.json`, '--url', t.base,
      '--checks', 'not_a_server_error', '--max-examples', String(MAX_EXAMPLES), '--seed', '20261129',
      '--phases', 'examples,coverage,fuzzing', '--header', `X-API-Key: ${t.keys.admin}`,
      '--request-timeout', '10', '--workers', '2', '--no-color',
    ]);
    expect(serverErrors, output).toEqual([]);
    expect(code, output).toBe(0);
    expect(output).toMatch(/passed/i);
  });
});
