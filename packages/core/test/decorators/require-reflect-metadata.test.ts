import { execFile } from 'node:child_process';
import { mkdtemp, mkdir, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The check runs when a decorator module is evaluated, and this test process already loaded
// reflect-metadata. So core's sources are compiled to plain ESM in a temporary folder and imported
// by a fresh Node process, with and without the polyfill.
const coreDir = join(dirname(fileURLToPath(import.meta.url)), '../..');
let outDir: string;

async function compile(srcDir: string, dest: string): Promise<void> {
  for (const entry of await readdir(srcDir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.ts')) continue;
    const file = join(entry.parentPath, entry.name);
    const { outputText } = ts.transpileModule(await readFile(file, 'utf8'), {
      compilerOptions: {
        module: ts.ModuleKind.ES2022,
        target: ts.ScriptTarget.ES2022,
        experimentalDecorators: true,
        emitDecoratorMetadata: true,
        verbatimModuleSyntax: false,
      },
      fileName: file,
    });
    const target = join(dest, relative(srcDir, file)).replace(/\.ts$/, '.js');
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, outputText);
  }
}

function runNode(args: string[], code: string): Promise<{ code: number; stderr: string; stdout: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [...args, '--input-type=module', '-e', code], { cwd: outDir }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : 1, stdout, stderr });
    });
  });
}

beforeAll(async () => {
  outDir = await mkdtemp(join(tmpdir(), 'logbook-reflect-'));
  await compile(join(coreDir, 'src'), outDir);
  await writeFile(join(outDir, 'package.json'), '{ "type": "module" }');
  await symlink(join(coreDir, 'node_modules'), join(outDir, 'node_modules'), 'dir');
});
afterAll(async () => {
  await rm(outDir, { recursive: true, force: true });
});

// Each test starts a Node process; on a loaded machine that takes seconds, hence the generous ceiling.
describe('require-reflect-metadata', { timeout: 90_000 }, () => {
  it.each(['track', 'param', 'log-metric'])('makes importing decorators/%s.js fail with the import to add when reflect-metadata is missing', async (name) => {
    const result = await runNode([], `await import('./decorators/${name}.js');`);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain("Add `import 'reflect-metadata';` as the first import of your program");
  });

  it('lets the same modules load and decorate when reflect-metadata was imported first', async () => {
    const result = await runNode(
      ['--import', 'reflect-metadata'],
      `
      const { Track } = await import('./decorators/track.js');
      const { Param } = await import('./decorators/param.js');
      const { LogMetric } = await import('./decorators/log-metric.js');
      class A { lr = 1; async fit() {} loss() { return 1; } }
      Param()(A.prototype, 'lr');
      Track({ experiment: 'e' })(A.prototype, 'fit', Object.getOwnPropertyDescriptor(A.prototype, 'fit'));
      LogMetric()(A.prototype, 'loss', Object.getOwnPropertyDescriptor(A.prototype, 'loss'));
      console.log('ok', typeof Track({ experiment: 'e' })(A));
    `,
    );
    expect(result.stderr).toBe('');
    expect(result.stdout.trim()).toBe('ok undefined');
    expect(result.code).toBe(0);
  });

  it("lets core's index load without any preloaded polyfill, since it imports reflect-metadata first", async () => {
    const result = await runNode([], `const core = await import('./index.js'); console.log(typeof core.Track, typeof Reflect.getMetadata);`);
    expect(result.stderr).toBe('');
    expect(result.stdout.trim()).toBe('function function');
  });
});
