// The exit drain against a real process: a child Node process runs the batching logger (its
// sources transpiled to a temporary folder), receives a real signal or reaches its natural end,
// and the test checks what reached the store and how the process ended.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const coreDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
let outDir: string;

function transpileTree(from: string, to: string, recursive = true): void {
  for (const name of readdirSync(from)) {
    const path = join(from, name);
    if (statSync(path).isDirectory()) {
      if (recursive) transpileTree(path, join(to, name));
    } else if (name.endsWith('.ts')) {
      const { outputText } = ts.transpileModule(readFileSync(path, 'utf8'), {
        compilerOptions: { module: ts.ModuleKind.ES2022, target: ts.ScriptTarget.ES2022, experimentalDecorators: true },
      });
      mkdirSync(to, { recursive: true });
      writeFileSync(join(to, name.replace(/\.ts$/, '.js')), outputText);
    }
  }
}

/** A training script: logs 10 points to a store that appends each request to `out` after 50 ms. */
const SCRIPT = `
import { appendFileSync } from 'node:fs';
import { BatchingLogger } from './logging/batching-logger.js';
const [out, mode] = process.argv.slice(2);
const store = {
  async logBatch(runId, batch) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    appendFileSync(out, JSON.stringify(batch.metrics.map((m) => m.step)) + '\\n');
  },
};
const logger = new BatchingLogger(store, { flushIntervalMs: 600000 });
for (let step = 0; step < 10; step++) logger.logMetric('r1', 'loss', step / 10, step);
if (mode === 'wait') setInterval(() => {}, 1000);
process.stdout.write('ready\\n');
`;

function run(mode: 'wait' | 'end', signal?: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null; written: number[][] }> {
  const out = join(outDir, `out-${mode}-${signal ?? 'none'}.jsonl`);
  writeFileSync(out, '');
  const child = spawn(process.execPath, [join(outDir, 'script.mjs'), out, mode], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      if (signal !== undefined && chunk.toString().includes('ready')) child.kill(signal);
    });
    child.on('error', reject);
    child.on('exit', (code, sig) => {
      const written = readFileSync(out, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as number[]);
      resolve({ code, signal: sig, written });
    });
  });
}

describe('BatchingLogger exit drain in a real process', () => {
  beforeAll(() => {
    outDir = mkdtempSync(join(tmpdir(), 'logbook-exit-'));
    // Only what the batching logger imports: decorated services need metadata, not wanted here.
    for (const folder of ['logging', 'config', 'contracts', 'validation', 'model']) {
      transpileTree(join(coreDir, 'src', folder), join(outDir, folder));
    }
    transpileTree(join(coreDir, 'src'), outDir, false);
    // Let the transpiled files resolve core's dependencies (pino, tsyringe) as the sources do.
    symlinkSync(join(coreDir, 'node_modules'), join(outDir, 'node_modules'), 'dir');
    writeFileSync(join(outDir, 'package.json'), '{"type":"module"}');
    writeFileSync(join(outDir, 'script.mjs'), SCRIPT);
  });
  afterAll(() => rmSync(outDir, { recursive: true, force: true }));

  it('writes buffered points on beforeExit when the script just ends', async () => {
    const result = await run('end');
    expect(result.code).toBe(0);
    expect(result.written).toEqual([[0, 1, 2, 3, 4, 5, 6, 7, 8, 9]]);
  });

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`drains on ${signal}, then ends the process by that signal`, async () => {
      const result = await run('wait', signal);
      expect(result.written).toEqual([[0, 1, 2, 3, 4, 5, 6, 7, 8, 9]]);
      expect(result.signal).toBe(signal);
      expect(result.code).toBeNull();
    });
  }
});
