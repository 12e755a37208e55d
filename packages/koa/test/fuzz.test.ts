import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
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

/**
 * Schemathesis hooks: half of the experiments it creates ask for a hostile artifact location, and
 * a check fails any response that carries the canary, a file outside the artifact root.
 */
const HOOKS = `import json, os, schemathesis

CANARY = os.environ["LOGBOOK_FUZZ_CANARY"].encode()
HOSTILE = json.loads(os.environ["LOGBOOK_FUZZ_HOSTILE_LOCATIONS"])
TARGETS = json.loads(os.environ["LOGBOOK_FUZZ_ARTIFACT_TARGETS"])
seen = {"experiments": 0, "artifacts": 0}

@schemathesis.hook
def map_body(ctx, body):
    op = ctx.operation
    if op is not None and op.method.upper() == "POST" and op.path == "/experiments" and isinstance(body, dict):
        seen["experiments"] += 1
        n = seen["experiments"]
        if n % 2 == 1:
            body = {**body, "name": "fuzz-hostile-%d" % n, "artifact_location": HOSTILE[(n // 2) % len(HOSTILE)]}
    return body

@schemathesis.hook
def map_path_parameters(ctx, path_parameters):
    op = ctx.operation
    if op is not None and op.path.startswith("/artifacts/") and isinstance(path_parameters, dict):
        seen["artifacts"] += 1
        n = seen["artifacts"]
        if n % 3 != 0:
            run_id, path = TARGETS[n % len(TARGETS)]
            path_parameters = {**path_parameters, "run_id": run_id, "path": path}
    return path_parameters

@schemathesis.check
def no_file_outside_artifact_root(ctx, response, case):
    if CANARY in (response.content or b""):
        raise AssertionError("a response carries a file from outside the artifact root")
`;

function run(command: string, args: string[], cwd: string, env: Record<string, string> = {}): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    // cwd: a temporary folder, so hypothesis' working folder (.hypothesis) is not left in the repository.
    const child = spawn(command, args, { cwd, env: { ...process.env, NO_COLOR: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c: Buffer) => {
      output += c.toString();
    });
    child.stderr.on('data', (c: Buffer) => {
      output += c.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

describe('OpenAPI fuzzing with schemathesis', () => {
  let t: TestHost;
  const serverErrors: string[] = [];
  let config: string;
  /** A file outside the artifact root; no response may ever contain it. */
  const canary = `logbook-fuzz-canary-${randomUUID()}`;
  let hostile: string[];
  /** [run id, artifact path] pairs that lead to the canary through links or a pre-fix run's URI. */
  let targets: [string, string][];
  let secret: string | undefined;
  beforeAll(async () => {
    t = await startHost({ onServerError: (error, info) => serverErrors.push(`${info.status} ${info.route}: ${String(error)}`) });
    // Real ids, used for half of the generated values, so cases get past the lookups into the
    // stores (log-batch into a live run, transitions of a real version, a real artifact).
    const experiment = (await t.api('/experiments', { body: { name: 'fuzz' } })).body.experiment_id as string;
    const run = (await t.api(`/experiments/${experiment}/runs`, { body: {} })).body.run;
    await t.host.logbook.stores.artifacts.put(run.info.artifact_uri, 'out/a.txt', Buffer.from('fuzz'));
    // The resolved-path rule: links out of a run folder, and a run stored before locations were
    // checked whose URI has a query, all lead to the canary; none may be served.
    secret = mkdtempSync(join(tmpdir(), 'fuzz-secret-'));
    writeFileSync(join(secret, 'canary.txt'), canary);
    const runFolder = fileURLToPath(run.info.artifact_uri);
    symlinkSync(join(secret, 'canary.txt'), join(runFolder, 'leak'));
    symlinkSync(secret, join(runFolder, 'linkdir'));
    symlinkSync(secret, join(runFolder, 'out', 'b'));
    const legacy = (await t.api(`/experiments/${experiment}/runs`, { body: {} })).body.run.info.run_id as string;
    mkdirSync(join(secret, legacy, 'artifacts'), { recursive: true });
    const Database = createRequire(join(root, 'examples/koa-host/package.json'))('better-sqlite3');
    const db = new Database(join(t.folder, 'logbook.db'));
    db.prepare('UPDATE runs SET artifact_uri = ? WHERE run_uuid = ?').run(`${pathToFileURL(secret).href}?x=/${legacy}/artifacts`, legacy);
    db.close();
    const secretUri = pathToFileURL(secret).href;
    targets = ['leak', 'linkdir/canary.txt', 'out/b/canary.txt'].map((p): [string, string] => [run.info.run_id, p]);
    targets.push([legacy, 'canary.txt']);
    hostile = [`${secretUri}?x=`, `${secretUri}#`, 'file:///?', '../../../etc', `${pathToFileURL(t.folder).href}/logbook-artifacts/../../..${secret}`, secretUri, 'file:///'];
    await t.api('/models/register', { body: { name: 'fuzz-model', source: 's3://b/m' } });
    // A version with bytes, deployed: downloads, comparisons and live metrics get past the lookups.
    const uploaded = await fetch(`${t.base}/models/fuzz-bytes/versions?run_id=${run.info.run_id}`, {
      method: 'POST',
      headers: { 'x-api-key': t.keys.admin, 'content-type': 'application/octet-stream' },
      body: 'fuzz weights',
    });
    expect(uploaded.status).toBe(201);
    await t.api('/models/fuzz-bytes/deployments', { body: { version: '1', environment: 'production', status: 'deployed' } });
    const dictionary = (name: string, values: string[]) => `[dictionaries.${name}]\nvalues = ${JSON.stringify(values)}\n`;
    const bind = (key: string, name: string) => `"${key}" = { dictionary = "${name}", probability = 0.5 }\n`;
    config = join(mkdtempSync(join(tmpdir(), 'fuzz-')), 'schemathesis.toml');
    writeFileSync(
      config,
      [
        dictionary('runs', [run.info.run_id, legacy]),
        dictionary('experiments', [experiment]),
        dictionary('models', ['fuzz-model', 'fuzz-bytes']),
        dictionary('paths', ['out/a.txt', 'leak', 'linkdir/canary.txt', 'out/b/canary.txt', 'canary.txt']),
        dictionary('versions', ['1', '1.0.0', 'Production', 'latest', '^1']),
        '[parameters]\n',
        bind('path.run_id', 'runs'),
        bind('query.run_ids', 'runs'),
        bind('path.experiment_id', 'experiments'),
        bind('path.name', 'models'),
        bind('path.path', 'paths'),
        bind('path.version', 'versions'),
      ].join(''),
    );
    writeFileSync(join(dirname(config), 'logbook_fuzz_hooks.py'), HOOKS);
  });
  afterAll(async () => {
    await t?.close();
    if (secret !== undefined) rmSync(secret, { recursive: true, force: true });
  });

  it('finds no 5xx in any operation of the document', { timeout: 120_000 }, async () => {
    expect(existsSync(schemathesis), 'schemathesis is missing: run `bash scripts/setup-python.sh`').toBe(true);
    const { code, output } = await run(
      schemathesis,
      [
        '--config-file',
        config,
        'run',
        `${t.base}/openapi.json`,
        '--url',
        t.base,
        '--checks',
        'not_a_server_error,no_file_outside_artifact_root',
        '--max-examples',
        String(MAX_EXAMPLES),
        '--seed',
        '20261129',
        '--phases',
        'examples,coverage,fuzzing',
        '--header',
        `X-API-Key: ${t.keys.admin}`,
        '--request-timeout',
        '10',
        '--workers',
        '1',
        '--no-color',
      ],
      dirname(config),
      {
        SCHEMATHESIS_HOOKS: 'logbook_fuzz_hooks',
        PYTHONPATH: dirname(config),
        LOGBOOK_FUZZ_CANARY: canary,
        LOGBOOK_FUZZ_HOSTILE_LOCATIONS: JSON.stringify(hostile),
        LOGBOOK_FUZZ_ARTIFACT_TARGETS: JSON.stringify(targets),
      },
    );
    expect(serverErrors, output).toEqual([]);
    expect(code, output).toBe(0);
    expect(output).toMatch(/(\d+) generated, \1 passed/);
    expect(output).not.toContain('outside the artifact root');
    // Whatever the fuzzer created, no experiment kept a hostile artifact location.
    const experiments = (await t.api('/experiments?max_results=1000&view_type=ALL')).body.experiments as { artifact_location: string }[];
    const rootUri = `${pathToFileURL(join(t.folder, 'logbook-artifacts')).href}/`;
    for (const e of experiments) expect(e.artifact_location.startsWith(rootUri) || /^(s3|mlflow-artifacts):\//.test(e.artifact_location), e.artifact_location).toBe(true);
    for (const e of experiments) expect(e.artifact_location).not.toMatch(/[?#]|\/\.\.(\/|$)/);
  });
});
