import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { userInfo } from 'node:os';
import { createLogbook, resolveConfig } from '@logbook/core';
import type { CreateLogbookOptions, Logbook, LogbookConfig } from '@logbook/core';
import { AuditLog, AuditLogRegistrySink, JsonlAuditSink } from '@logbook/koa';
// Importing @logbook/sqlite also registers the embedded backend with core.
import { handlesSqliteUri, sqlitePathFromUri } from '@logbook/sqlite';
import { CliError, ExitCode } from './exit-codes.js';
import type { CliIo } from './io.js';

/**
 * How a command uses the store: `read` opens a SQLite database read-only (never created,
 * migrated or written, readable on a read-only mount); `write` may write to an existing one.
 */
export type OpenMode = 'read' | 'write';

/**
 * The configuration the command reads: the library's own (`resolveConfig`: environment, then
 * `logbook.config.json`, then defaults, with the settings of the backend packages it names), with
 * `--tracking-uri` on top. A SQLite URI becomes the database's absolute path (relative paths
 * resolve against `io.cwd`).
 */
export async function cliConfig(trackingUri: string | undefined, io: CliIo): Promise<LogbookConfig> {
  const cwd = io.cwd ?? process.cwd();
  const config = await resolveConfig(trackingUri === undefined ? {} : { trackingUri }, io.env ?? process.env, cwd);
  if (!handlesSqliteUri(config.trackingUri)) return config;
  const path = sqlitePathFromUri(config.trackingUri);
  return path === ':memory:' ? config : { ...config, trackingUri: resolve(cwd, path) };
}

/**
 * A SQLite database the CLI opens must be a non-empty file: neither reading nor `runs end` ever
 * creates (or migrates an empty file into) a database. Exit 4 with what is wrong otherwise.
 */
function checkDatabaseFile(path: string): void {
  const stat = statSync(path, { throwIfNoEntry: false });
  const hint = 'Run from the folder that holds logbook.db, or pass --tracking-uri (or set LOGBOOK_TRACKING_URI).';
  if (stat === undefined) {
    throw new CliError(`[cli] No Logbook database at ${path}: nothing has been logged there. ${hint}`, ExitCode.BACKEND_UNAVAILABLE);
  }
  if (stat.isDirectory()) {
    throw new CliError(`[cli] ${path} is a folder, not a Logbook database file. ${hint}`, ExitCode.BACKEND_UNAVAILABLE);
  }
  if (stat.size === 0) {
    throw new CliError(`[cli] ${path} is empty (0 bytes): nothing has been logged there, and the CLI does not create databases.`, ExitCode.BACKEND_UNAVAILABLE);
  }
}

/**
 * Opens the logbook the command uses. A SQLite database must already exist (exit 4 otherwise);
 * in `read` mode it is opened read-only (`?mode=ro`). An `http(s):` URI loads `@logbook/mlflow`.
 */
export async function openLogbook(config: LogbookConfig, io: CliIo, mode: OpenMode = 'read'): Promise<Logbook> {
  const uri = config.trackingUri;
  let opened = config;
  if (handlesSqliteUri(uri)) {
    const path = sqlitePathFromUri(uri);
    if (path !== ':memory:') {
      checkDatabaseFile(path);
      if (mode === 'read') opened = { ...config, trackingUri: `sqlite:///${path}?mode=ro` };
    }
  } else if (/^https?:/i.test(uri)) {
    await import('@logbook/mlflow');
  }
  // The CLI reads and writes the store it names: never a spool that would answer with local ids.
  opened = { ...opened, spool: { ...opened.spool, enabled: false } };
  const registryAudit = mode === 'write' ? await cliRegistryAudit(config, io) : undefined;
  try {
    return await createLogbook(opened, {
      ...(io.env === undefined ? {} : { env: io.env }),
      ...(io.cwd === undefined ? {} : { cwd: io.cwd }),
      ...(registryAudit && { registryAudit }),
    });
  } catch (error) {
    await registryAudit?.sink.close?.().catch(() => undefined);
    throw error;
  }
}

/**
 * With `auditLog` configured (`LOGBOOK_AUDIT_LOG`), a writing command records every registry
 * change in that hash-chained JSON-lines log (keyed with `auditKey`), as the OS user, source `cli`.
 */
async function cliRegistryAudit(config: LogbookConfig, io: CliIo): Promise<CreateLogbookOptions['registryAudit']> {
  const sink = await openRegistryAuditLog(config, io);
  return sink === undefined ? undefined : { sink, actor: osUser(), source: 'cli' };
}

/**
 * The registry audit sink over the configured `auditLog` (hash-chained JSON lines, keyed with
 * `auditKey`), or undefined when none is configured. Closing the sink closes the log.
 */
export async function openRegistryAuditLog(config: LogbookConfig, io: CliIo): Promise<AuditLogRegistrySink | undefined> {
  if (config.auditLog === undefined) return undefined;
  const path = resolve(io.cwd ?? process.cwd(), config.auditLog);
  const log = await AuditLog.open(new JsonlAuditSink({ path }), config.auditKey === undefined ? {} : { key: config.auditKey });
  return new AuditLogRegistrySink(log, { ownsLog: true });
}

function osUser(): string {
  try {
    return userInfo().username || 'cli';
  } catch {
    return 'cli';
  }
}
