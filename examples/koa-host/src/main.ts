/*
 * Starts the example host: `pnpm --filter @logbook/example-koa-host start`.
 * PORT (default 3000), HOST (default 127.0.0.1) and LOGBOOK_DB (default ./logbook.db) configure it;
 * LOGBOOK_AUDIT_KEY (32 bytes or more) keys the audit chain (HMAC-SHA256) when set.
 * A torn audit file (a write cut short) is fenced and reported on stderr, and the host comes up; an
 * audit log that does not fit its key or its head record stops the start with one clear line, exit 1.
 * A fresh admin API key is printed once at start (only its hash is kept), and three demo users
 * can log in at POST /login with the passwords printed alongside (demo only: a real host has its
 * own user store).
 */
import { randomBytes } from 'node:crypto';
import { isLogbookError } from '@logbook/core';
import { generateApiKey, hashApiKey } from '@logbook/koa';
import { createHostApp } from './app.js';
import type { HostApp } from './app.js';

const port = Number(process.env.PORT ?? 3000);
const hostname = process.env.HOST ?? '127.0.0.1';
const dbPath = process.env.LOGBOOK_DB ?? './logbook.db';
const adminKey = generateApiKey('admin');
const users = (['admin', 'editor', 'reader'] as const).map((role) => ({ username: role, password: randomBytes(9).toString('base64url'), role }));

const auditKey = process.env.LOGBOOK_AUDIT_KEY;
let host: HostApp;
try {
  host = await createHostApp({
    dbPath,
    audit: { kind: 'jsonl', path: `${dbPath}.audit.jsonl`, ...(auditKey !== undefined && auditKey !== '' && { key: auditKey }) },
    apiKeys: [{ id: 'admin', hash: await hashApiKey(adminKey), role: 'admin' }],
    users,
  });
} catch (error) {
  // Typed start-up errors (audit log, configuration) say what is wrong in their message.
  process.stderr.write(`example host cannot start: ${isLogbookError(error) ? `${error.message} (${error.code})` : String(error)}\n`);
  process.exit(1);
}
const url = await host.listen(port, hostname);
process.stdout.write(`example host on ${url}; Logbook under ${url}/mlflow (OpenAPI: ${url}/mlflow/openapi.json, report page: ${url}/mlflow/ui)\n`);
process.stdout.write(`admin API key (shown once): ${adminKey}\n`);
for (const u of users) process.stdout.write(`demo login: {"username":"${u.username}","password":"${u.password}"}\n`);

const stop = () => {
  void host.close().then(() => process.exit(0));
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
