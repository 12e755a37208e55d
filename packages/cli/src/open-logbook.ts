import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { createLogbook, loadConfig } from '@logbook/core';
import type { Logbook, LogbookConfig } from '@logbook/core';
// Importing @logbook/sqlite also registers the embedded backend with core.
import { handlesSqliteUri, sqlitePathFromUri } from '@logbook/sqlite';
import { CliError, ExitCode } from './exit-codes.js';
import type { CliIo } from './io.js';

/**
 * The configuration the command reads: the library's own (`loadConfig`: environment, then
 * `logbook.config.json`, then defaults), with `--tracking-uri` on top. A SQLite URI becomes the
 * database's absolute path (relative paths resolve against `io.cwd`).
 */
export function cliConfig(trackingUri: string | undefined, io: CliIo): LogbookConfig {
  const cwd = io.cwd ?? process.cwd();
  const config = loadConfig(trackingUri === undefined ? {} : { trackingUri }, io.env ?? process.env, cwd);
  if (!handlesSqliteUri(config.trackingUri)) return config;
  const path = sqlitePathFromUri(config.trackingUri);
  return path === ':memory:' ? config : { ...config, trackingUri: resolve(cwd, path) };
}

/**
 * Opens the logbook the command reads from. A SQLite database must already exist: reading never
 * creates an empty one (exit 4 instead). An `http(s):` URI loads `@logbook/mlflow`.
 */
export async function openLogbook(config: LogbookConfig, io: CliIo): Promise<Logbook> {
  const uri = config.trackingUri;
  if (handlesSqliteUri(uri)) {
    const path = sqlitePathFromUri(uri);
    if (path !== ':memory:' && !existsSync(path)) {
      throw new CliError(
        `[cli] No Logbook database at ${path}: nothing has been logged there. ` +
          'Run from the folder that holds logbook.db, or pass --tracking-uri (or set LOGBOOK_TRACKING_URI).',
        ExitCode.BACKEND_UNAVAILABLE,
      );
    }
  } else if (/^https?:/i.test(uri)) {
    await import('@logbook/mlflow');
  }
  return createLogbook(config, { ...(io.env === undefined ? {} : { env: io.env }), ...(io.cwd === undefined ? {} : { cwd: io.cwd }) });
}
