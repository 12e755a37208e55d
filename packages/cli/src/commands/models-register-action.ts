import { statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { REGISTERED_BY_TAG, SEMVER_TAG, SHA256_TAG, SIZE_TAG, isLogbookError } from '@logbook/core';
import type { Logbook, ModelVersion, ModelVersionMetadata } from '@logbook/core';
import { CliError, ExitCode } from '../exit-codes.js';
import { sourceScheme } from './model-options.js';
import type { RegisterOptions } from './models-register.js';

/** What `models register` prints (and its `--json` shape). */
export interface Registered {
  readonly version: ModelVersion;
  readonly semver?: string;
  /** True when the bytes were already registered and `--allow-duplicate` returned that version. */
  readonly duplicate: boolean;
}

/** Registers `source` (a file, streamed, or a URI) as a new version of `name`. */
export async function register(lb: Logbook, cwd: string, name: string, source: string, options: RegisterOptions): Promise<Registered> {
  const scheme = sourceScheme(source);
  if (scheme !== undefined) return registerUri(lb, name, source, scheme, options);
  const path = resolve(cwd, source);
  const stat = statSync(path, { throwIfNoEntry: false });
  if (stat === undefined || !stat.isFile()) {
    throw new CliError(`[cli] No model file at ${path}${stat === undefined ? '' : ' (it is not a regular file)'}.`, ExitCode.USAGE);
  }
  const newest = await newestVersion(lb, name);
  const metadata: ModelVersionMetadata = {
    fileName: options.fileName ?? basename(path),
    cwd,
    ...(options.runId === undefined ? {} : { runId: options.runId }),
    ...(options.semver === undefined ? {} : { semver: options.semver }),
    ...(options.bump === undefined ? {} : { bump: options.bump }),
    ...(options.parent === undefined ? {} : { parentVersion: options.parent }),
    ...(options.description === undefined ? {} : { description: options.description }),
    ...(options.by === undefined ? {} : { registeredBy: options.by }),
    ...(options.allowDuplicate === true ? { onDuplicate: 'return' as const } : {}),
    ...(options.dataset.length === 0 ? {} : { datasets: options.dataset }),
  };
  const semver = await lb.versioning.createModelVersion(name, { filePath: path }, metadata);
  const version = await lb.registry.getModelVersion(name, semver);
  // With --allow-duplicate the library answers with the existing version's semver.
  const duplicate = newest !== undefined && Number(version.version) <= Number(newest);
  return { version, semver, duplicate };
}
async function registerUri(lb: Logbook, name: string, source: string, scheme: string, options: RegisterOptions): Promise<Registered> {
  if (options.bump !== undefined || options.fileName !== undefined || options.allowDuplicate === true || options.dataset.length > 0) {
    throw new CliError('[cli] --bump, --file-name, --allow-duplicate and --dataset apply to model files, not to URIs.', ExitCode.USAGE);
  }
  let runId = options.runId;
  if (scheme === 'runs') {
    // runs:/<run-id>/<path>: parsed, never split by hand.
    const segments = new URL(source).pathname.split('/').filter((s) => s !== '');
    if (segments.length < 2) throw new CliError(`[cli] '${source}' is not runs:/<run-id>/<path>.`, ExitCode.USAGE);
    const fromUri = decodeURIComponent(segments[0]!);
    if (runId !== undefined && runId !== fromUri) {
      throw new CliError(`[cli] --run-id ${runId} differs from the run of ${source} (${fromUri}).`, ExitCode.USAGE);
    }
    runId = fromUri;
    await lb.tracker.getRun(runId); // an unknown run is exit 3, before anything is registered
  }
  if (options.semver !== undefined) await semverFree(lb, name, options.semver);
  const version = await lb.versioning.createVersion(name, source, {
    ...(runId === undefined ? {} : { runId }),
    ...(options.semver === undefined ? {} : { semver: options.semver }),
    ...(options.parent === undefined ? {} : { parentVersion: options.parent }),
    ...(options.description === undefined ? {} : { description: options.description }),
    ...(options.by === undefined ? {} : { tags: { [REGISTERED_BY_TAG]: options.by } }),
  });
  const semver = version.tags[SEMVER_TAG];
  return { version, ...(semver === undefined ? {} : { semver }), duplicate: false };
}

/** The one line `models register` prints. */
export function renderRegistered(r: Registered): string {
  const v = r.version;
  const what = r.duplicate ? 'These bytes are already' : 'Registered';
  const bytes = v.tags[SHA256_TAG] === undefined ? '' : `, ${v.tags[SIZE_TAG]} B, SHA-256 ${v.tags[SHA256_TAG]}`;
  return `${what} version ${v.version}${r.semver === undefined ? '' : ` (${r.semver})`} of model '${v.name}'${bytes}.\n`;
}

/** The highest version number of `name`, undefined for a new model. */
async function newestVersion(lb: Logbook, name: string): Promise<string | undefined> {
  try {
    return (await lb.registry.getLatestModel(name)).version;
  } catch (error) {
    if (isLogbookError(error, 'RESOURCE_DOES_NOT_EXIST')) return undefined;
    throw error;
  }
}

/**
 * The library's URI registration (`createVersion`) does not refuse a semver already taken, as
 * `createModelVersion` does: refuse it here, with the same code, before anything is registered.
 */
async function semverFree(lb: Logbook, name: string, semver: string): Promise<void> {
  if (!/^v?\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.+-]*)?$/.test(semver)) return; // not a plain semver: the library rejects it
  let taken: ModelVersion;
  try {
    taken = await lb.registry.getModelVersion(name, semver);
  } catch (error) {
    if (isLogbookError(error, 'RESOURCE_DOES_NOT_EXIST')) return;
    throw error;
  }
  throw new CliError(`[cli] Model '${name}' already has a version ${taken.tags[SEMVER_TAG] ?? semver} (version ${taken.version}).`, ExitCode.CONFLICT);
}
