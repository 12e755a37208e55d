import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BackendProvider } from '../contracts/backend.js';
import { LogbookError } from '../errors.js';
import { findBackend, registerBackend } from './backend-registry.js';

/** The package that serves a tracking URI when nothing is registered for it. */
export function backendPackageFor(trackingUri: string): string {
  return /^https?:/i.test(trackingUri) ? '@logbook/mlflow' : '@logbook/sqlite';
}

/** Shows a URI without its user info or query, which may hold credentials. */
export function safeUri(uri: string): string {
  return uri.replace(/\/\/[^/@]*@/, '//***@').replace(/\?.*$/, '?…');
}

function isProvider(value: unknown): value is BackendProvider {
  const v = value as Partial<BackendProvider> | null;
  return typeof v === 'object' && v !== null && typeof v.name === 'string' && typeof v.handles === 'function' && typeof v.create === 'function';
}

/**
 * Folders a backend package is looked up from: `cwd`, then the folder of the program's entry
 * script (a program run from another folder, `node examples/x/dist/main.js`, still belongs to
 * its own project).
 */
export function projectFolders(cwd: string, entryScript: string | undefined): string[] {
  const folders = [cwd];
  if (entryScript !== undefined && entryScript !== '') folders.push(dirname(resolve(cwd, entryScript)));
  return folders;
}

/**
 * Imports a backend package resolved from the user's project (pnpm keeps core from seeing
 * packages it does not depend on): from `cwd`, then from the entry script's folder, falling back
 * to a plain import.
 */
export async function importFromProject(pkg: string, cwd: string): Promise<Record<string, unknown>> {
  let firstError: unknown;
  for (const folder of projectFolders(cwd, process.argv[1])) {
    try {
      const resolved = createRequire(join(folder, 'package.json')).resolve(pkg);
      return (await import(pathToFileURL(resolved).href)) as Record<string, unknown>;
    } catch (error) {
      firstError ??= error;
    }
  }
  try {
    return (await import(pkg)) as Record<string, unknown>;
  } catch {
    throw firstError;
  }
}

/**
 * The provider for `trackingUri`: a registered one, else the one the matching backend package
 * registers when imported (or exports). The package is looked up from `cwd`, so a project that
 * installed `@logbook/sqlite` needs no wiring.
 * @param importPackage how the package is imported (replaced in tests to simulate its absence).
 * @throws LogbookError INVALID_CONFIGURATION saying which package to install.
 */
export async function loadBackend(trackingUri: string, cwd: string, importPackage: (pkg: string, cwd: string) => Promise<Record<string, unknown>> = importFromProject): Promise<BackendProvider> {
  const registered = findBackend(trackingUri);
  if (registered !== undefined) return registered;
  const pkg = backendPackageFor(trackingUri);
  let module: Record<string, unknown>;
  try {
    module = await importPackage(pkg, cwd);
  } catch (cause) {
    throw new LogbookError(
      'INVALID_CONFIGURATION',
      `[core] No backend is registered for trackingUri ${JSON.stringify(safeUri(trackingUri))} and ${pkg} could not be loaded: install it (pnpm add ${pkg}) or import it before createLogbook().`,
      { cause, field: 'trackingUri' },
    );
  }
  for (const value of Object.values(module)) {
    if (isProvider(value) && findBackend(trackingUri) === undefined) registerBackend(value);
  }
  const provider = findBackend(trackingUri);
  if (provider === undefined) {
    throw new LogbookError('INVALID_CONFIGURATION', `[core] ${pkg} is installed but serves no backend for trackingUri ${JSON.stringify(safeUri(trackingUri))}.`, { field: 'trackingUri' });
  }
  return provider;
}
