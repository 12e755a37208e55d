import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const PACKAGES = ['core', 'sqlite', 'mlflow'] as const;

function transpile(source: string): string {
  return ts.transpileModule(source, {
    compilerOptions: {
      module: ts.ModuleKind.ES2022,
      target: ts.ScriptTarget.ES2022,
      experimentalDecorators: true,
      emitDecoratorMetadata: true,
    },
  }).outputText;
}

function transpileTree(from: string, to: string): void {
  for (const name of readdirSync(from)) {
    const path = join(from, name);
    if (statSync(path).isDirectory()) transpileTree(path, join(to, name));
    else if (name.endsWith('.ts')) {
      mkdirSync(to, { recursive: true });
      writeFileSync(join(to, name.replace(/\.ts$/, '.js')), transpile(readFileSync(path, 'utf8')));
    }
  }
}

/** The package's subpath exports (`.`, `./spi`…) pointing at the transpiled sources. */
function exportsOf(pkg: string): Record<string, string> {
  const manifest = JSON.parse(readFileSync(join(repoRoot, 'packages', pkg, 'package.json'), 'utf8')) as { exports?: Record<string, { '@logbook/source'?: string }> };
  const out: Record<string, string> = { '.': './index.js' };
  for (const [subpath, targets] of Object.entries(manifest.exports ?? {})) {
    const source = targets['@logbook/source'];
    if (source !== undefined) out[subpath] = source.replace(/^\.\/src\//, './').replace(/\.ts$/, '.js');
  }
  return out;
}

/** A folder where child processes run the current sources of core, sqlite and mlflow. */
export interface ChildPackages {
  readonly dir: string;
  /** Transpiles a TypeScript script (decorators included) into the folder; returns its path. */
  script(name: string, source: string): string;
  remove(): void;
}

/**
 * Transpiles `packages/{core,sqlite,mlflow}/src` into `node_modules/@logbook/*` of a temp folder
 * (one copy of core for all three, as in an installed project), each with its third-party
 * dependencies linked from the workspace. No build of the workspace is needed or touched.
 */
export function prepareChildPackages(): ChildPackages {
  const dir = mkdtempSync(join(tmpdir(), 'logbook-spool-'));
  for (const pkg of PACKAGES) {
    const out = join(dir, 'node_modules', '@logbook', pkg);
    transpileTree(join(repoRoot, 'packages', pkg, 'src'), out);
    writeFileSync(join(out, 'package.json'), JSON.stringify({ name: `@logbook/${pkg}`, type: 'module', main: './index.js', exports: exportsOf(pkg) }));
    const deps = join(repoRoot, 'packages', pkg, 'node_modules');
    mkdirSync(join(out, 'node_modules'), { recursive: true });
    for (const name of readdirSync(deps)) {
      if (name === '@logbook' || name === '.bin') continue;
      symlinkSync(join(deps, name), join(out, 'node_modules', name), 'dir');
    }
  }
  symlinkSync(join(repoRoot, 'node_modules', 'reflect-metadata'), join(dir, 'node_modules', 'reflect-metadata'), 'dir');
  writeFileSync(join(dir, 'package.json'), '{"type":"module"}');
  return {
    dir,
    script(name, source) {
      const path = join(dir, name);
      const bare = source.replace(/(['"])(?:\.\.\/)+packages\/(core|sqlite|mlflow)\/src\/index\.js\1/g, '$1@logbook/$2$1');
      writeFileSync(path, transpile(bare));
      return path;
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
