import 'reflect-metadata';
import type { AddressInfo } from 'node:net';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Koa from 'koa';
import type Router from '@koa/router';
import Database from 'better-sqlite3';
import { createLogbook } from '@logbook/core';
// Registers the embedded SQLite backend for createLogbook.
import '@logbook/sqlite';
import type { LogbookConfigInput } from '@logbook/core';
import { AuditLog, JsonlAuditSink, SqliteAuditSink, apiKeyAuth, bearerAuth, createLogbookRouter, hostAuth } from '@logbook/koa';
import type { ApiKeyRecord, AuditEventHandler, AuditKey, AuditSink, LogbookLike, ServerErrorReporter } from '@logbook/koa';
import { hostRoutes } from './host-routes.js';
import { SessionTokens } from './sessions.js';
import { UserDirectory } from './users.js';
import type { HostUser } from './users.js';

/** Options of {@link createHostApp}. */
export interface HostAppOptions {
  /** Logbook to mount. Default: `createLogbook` on `dbPath` (the SQLite store). */
  readonly logbook?: LogbookLike & { close?(): Promise<void> };
  /** SQLite file of the default Logbook. @default a new file in a temporary folder */
  readonly dbPath?: string;
  /** Extra config of the default Logbook. */
  readonly config?: LogbookConfigInput;
  /** The host's users (its login form). */
  readonly users?: readonly HostUser[];
  /** API keys Logbook accepts (hashed records; see `hashApiKey`). */
  readonly apiKeys?: readonly ApiKeyRecord[];
  /**
   * Where audit entries go, and the key of their HMAC chain (keep it apart from the log, e.g. in
   * a secret store). @default a JSON-lines file beside the database, unkeyed
   */
  readonly audit?: { readonly kind: 'jsonl' | 'sqlite'; readonly path: string; readonly key?: AuditKey };
  /** Fenced damage and deferred audit outcomes. @default one line on stderr each */
  readonly onAuditEvent?: AuditEventHandler;
  readonly sessionSecret?: Buffer;
  /** @default '/mlflow' */
  readonly prefix?: string;
  readonly bodyLimit?: string | number;
  readonly onServerError?: ServerErrorReporter;
}

/** A running host app: `listen` starts it, `close` stops it and releases Logbook and the audit log. */
export interface HostApp {
  readonly app: Koa;
  readonly sessions: SessionTokens;
  readonly audit: AuditLog;
  readonly logbook: LogbookLike;
  readonly router: Router;
  listen(port?: number, host?: string): Promise<string>;
  close(): Promise<void>;
}

/**
 * The example host: a Koa app with its own routes (`/`, `/login`, `/me`) and session login, that
 * mounts Logbook under `/mlflow`. Logbook accepts three kinds of credentials: API keys, the
 * host's session tokens as `Authorization: Bearer` (checked by the host's verifier), and the
 * host's own cookie session (trusting `ctx.state.user`, set by the host's middleware).
 */
export async function createHostApp(options: HostAppOptions = {}): Promise<HostApp> {
  const folder = options.dbPath === undefined ? mkdtempSync(join(tmpdir(), 'logbook-host-')) : undefined;
  const dbPath = options.dbPath ?? join(folder!, 'logbook.db');
  // No spool for an API host: a client told 503 retries against the server's own ids, whereas a
  // spooled write would answer with local ids that the server never learns.
  const logbook = options.logbook ?? (await createLogbook({ trackingUri: dbPath, logLevel: 'silent', spool: { enabled: false }, ...options.config }));
  const auditTarget = options.audit ?? { kind: 'jsonl', path: `${dbPath}.audit.jsonl` };
  let auditDb: Database.Database | undefined;
  let sink: AuditSink;
  if (auditTarget.kind === 'sqlite') {
    auditDb = new Database(auditTarget.path);
    auditDb.pragma('journal_mode = WAL');
    auditDb.pragma('synchronous = FULL');
    sink = new SqliteAuditSink({ db: auditDb });
  } else {
    sink = new JsonlAuditSink({ path: auditTarget.path });
  }
  let audit: AuditLog;
  try {
    // Opening reads the end of the log and fences a torn tail; a log that does not fit its key or
    // its head is a typed error (LogbookError) for the caller: see main.ts.
    audit = await AuditLog.open(sink, { ...(auditTarget.key !== undefined && { key: auditTarget.key }), ...(options.onAuditEvent && { onEvent: options.onAuditEvent }) });
  } catch (error) {
    auditDb?.close();
    if (options.logbook === undefined) await (logbook as { close?(): Promise<void> }).close?.();
    throw error;
  }
  const sessions = new SessionTokens(options.sessionSecret);
  const users = new UserDirectory(options.users ?? []);

  const app = new Koa();
  app.silent = true;
  // The host's own authentication: a session cookie becomes ctx.state.user.
  app.use(async (ctx, next) => {
    const token = ctx.cookies.get('session');
    const user = token === undefined ? undefined : sessions.verify(token);
    if (user !== undefined) ctx.state.user = user;
    await next();
  });
  const host = hostRoutes(users, sessions);
  app.use(host.routes()).use(host.allowedMethods());

  const router = createLogbookRouter({
    logbook,
    prefix: options.prefix ?? '/mlflow',
    auth: { authenticators: [apiKeyAuth({ keys: options.apiKeys ?? [] }), bearerAuth((token) => sessions.verify(token)), hostAuth()] },
    audit,
    ...(options.bodyLimit !== undefined && { bodyLimit: options.bodyLimit }),
    ...(options.onServerError && { onServerError: options.onServerError }),
  });
  app.use(router.routes());

  const servers: import('node:http').Server[] = [];
  let closed = false;
  return {
    app,
    sessions,
    audit,
    logbook,
    router,
    listen(port = 0, hostname = '127.0.0.1') {
      return new Promise((resolve, reject) => {
        const server = app.listen(port, hostname);
        servers.push(server);
        server.once('error', reject);
        server.once('listening', () => resolve(`http://${hostname}:${(server.address() as AddressInfo).port}`));
      });
    },
    async close() {
      if (closed) return;
      closed = true;
      await Promise.all(
        servers.map(
          (s) =>
            new Promise<void>((r) => {
              s.closeAllConnections();
              s.close(() => r());
            }),
        ),
      );
      await audit.close();
      auditDb?.close();
      if (options.logbook === undefined) await (logbook as { close?(): Promise<void> }).close?.();
    },
  };
}

export type { HostUser } from './users.js';
export { SessionTokens } from './sessions.js';
export type { SessionUser } from './sessions.js';
