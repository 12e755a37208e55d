import { existsSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { resolve } from 'node:path';
import { createLogbook, httpTargetId } from '@logbook/core';
import type { SyncSource, SyncTarget } from '@logbook/core/spi';
import { handlesSqliteUri, openBundle, openSyncSource, sqlitePathFromUri } from '@logbook/sqlite';
import { CliError, ExitCode } from '../exit-codes.js';
import type { CliIo } from '../io.js';
import { cliConfig } from '../open-logbook.js';

/** An opened source of `logbook sync`: a Logbook database or an air-gap bundle. */
export interface OpenedSource {
  readonly source: SyncSource;
  readonly kind: 'database' | 'bundle';
  /** Absolute path of the file. */
  readonly path: string;
}

/** An opened target and how to close it. */
export interface OpenedTarget {
  readonly target: SyncTarget;
  /** The target's URI without credentials, for messages. */
  readonly display: string;
  close(): Promise<void>;
}

const BUNDLE_MAGIC = Buffer.from('LOGBOOK-BUNDLE\n\0', 'latin1');

async function isBundle(path: string): Promise<boolean> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch {
    return false;
  }
  try {
    const head = Buffer.alloc(BUNDLE_MAGIC.length);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    return bytesRead === head.length && head.equals(BUNDLE_MAGIC);
  } finally {
    await handle.close();
  }
}

/** The cwd-relative path of a `--from` value or of the configured SQLite tracking URI. */
async function sourcePath(from: string | undefined, io: CliIo): Promise<string> {
  const cwd = io.cwd ?? process.cwd();
  if (from !== undefined) return resolve(cwd, handlesSqliteUri(from) ? sqlitePathFromUri(from) : from);
  const configured = (await cliConfig(undefined, io)).trackingUri;
  if (!handlesSqliteUri(configured) || sqlitePathFromUri(configured) === ':memory:') {
    throw new CliError(`[cli] The configured tracking URI is not a Logbook database file; say what to sync with --from <logbook.db|bundle.lbk>.`, ExitCode.USAGE);
  }
  return resolve(cwd, sqlitePathFromUri(configured));
}

/**
 * Opens what `--from` names (default: the configured SQLite database): a bundle (recognized by
 * its header, whatever its name) is verified and extracted first; anything else is opened as a
 * Logbook database. Both refuse a corrupt or newer file with a typed error before a target is
 * touched.
 */
export async function openSource(from: string | undefined, io: CliIo): Promise<OpenedSource> {
  const path = await sourcePath(from, io);
  if (!existsSync(path)) {
    throw new CliError(`[cli] No Logbook database or bundle at ${path}: nothing to sync.`, ExitCode.BACKEND_UNAVAILABLE);
  }
  if (await isBundle(path)) return { source: await openBundle(path), kind: 'bundle', path };
  return { source: await openSyncSource(path), kind: 'database', path };
}

/**
 * The id a target's cursor and id map are kept under: an http(s) URI without credentials, query
 * or trailing slash (host lower-cased); a SQLite target as `sqlite:` and its absolute path.
 */
export function syncTargetId(trackingUri: string): string {
  // The spool's drainer keys the same server by the same id: one cursor per server.
  if (/^https?:/i.test(trackingUri)) return httpTargetId(trackingUri);
  return `sqlite:${resolve(sqlitePathFromUri(trackingUri))}`;
}

/**
 * The tracking URI a dry run opens for a SQLite target: the file read-only (never created,
 * migrated or written), or an empty database in memory when there is no file yet (everything
 * would be created). Other targets unchanged.
 */
function dryRunUri(trackingUri: string, io: CliIo): string {
  if (/^https?:/i.test(trackingUri)) return trackingUri;
  const path = sqlitePathFromUri(trackingUri);
  if (path === ':memory:') return trackingUri;
  const absolute = resolve(io.cwd ?? process.cwd(), path);
  return existsSync(absolute) ? `sqlite:///${absolute}?mode=ro` : ':memory:';
}

/**
 * Opens `--to`: an MLflow server (loads `@logbook/mlflow`; credentials from
 * `MLFLOW_TRACKING_USERNAME`/`PASSWORD`/`TOKEN` or the config profile, as for any MLflow URI) or
 * a SQLite database (created when missing: a station aggregating others; with `dryRun` opened
 * read-only, and never created).
 */
export async function openTarget(uri: string, io: CliIo, options: { readonly dryRun?: boolean } = {}): Promise<OpenedTarget> {
  const config = await cliConfig(uri, io);
  const http = /^https?:/i.test(config.trackingUri);
  if (http) await import('@logbook/mlflow');
  else if (!handlesSqliteUri(config.trackingUri)) {
    throw new CliError(`[cli] --to must be an http(s):// MLflow server or a Logbook database file; got '${uri}'.`, ExitCode.USAGE);
  }
  const trackingUri = options.dryRun === true ? dryRunUri(config.trackingUri, io) : config.trackingUri;
  // A spool would accept writes while the target is down and hand back local ids, which the
  // engine would then record as the target's ids in the source's id map.
  const logbook = await createLogbook(
    { ...config, trackingUri, spool: { ...config.spool, enabled: false } },
    { ...(io.env === undefined ? {} : { env: io.env }), ...(io.cwd === undefined ? {} : { cwd: io.cwd }) },
  );
  const id = syncTargetId(config.trackingUri);
  return {
    target: { id, tracking: logbook.stores.tracking, registry: logbook.stores.registry, artifacts: logbook.stores.artifacts },
    display: id,
    close: () => logbook.close(),
  };
}
