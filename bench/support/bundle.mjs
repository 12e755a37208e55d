// Bundles a TypeScript entry (and every workspace package and dependency it imports, resolved to
// sources through the "@logbook/source" condition) into one ES module that plain `node` runs.
// Benchmarks and memory-measuring child processes use it: a bundle starts lean (no test runner,
// no transformer in the process), so its RSS is the code's own.
import { mkdir } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const conditions = ['@logbook/source', 'node', 'import', 'default'];

/** Bundles `entry` (a path from the repository root, or absolute) to `<outDir>/<name>.mjs`; returns that path. */
export async function bundleForNode(entry, outDir = join(root, '.cache', 'bundles')) {
  const name = basename(entry).replace(/\.[cm]?ts$/, '');
  await mkdir(outDir, { recursive: true });
  await build({
    configFile: false,
    root,
    logLevel: 'warn',
    oxc: { decorator: { legacy: true, emitDecoratorMetadata: true } },
    resolve: { conditions },
    ssr: { noExternal: true, resolve: { conditions, externalConditions: conditions } },
    build: {
      ssr: resolve(root, entry),
      outDir,
      emptyOutDir: false,
      minify: false,
      sourcemap: false,
      target: 'node20',
      rollupOptions: { output: { format: 'es', entryFileNames: `${name}.mjs`, codeSplitting: false } },
    },
  });
  return join(outDir, `${name}.mjs`);
}
