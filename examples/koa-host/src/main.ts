/*
 * Starts the example host: `pnpm --filter @logbook/example-koa-host start`.
 * PORT (default 3000), HOST (default 127.0.0.1) and LOGBOOK_DB (default ./logbook.db) configure it.
 * A fresh admin API key is printed once at start (only its hash is kept), and three demo users
 * can log in at POST /login with the passwords printed alongside (demo only: a real host has its
 * own user store).
 */
import { randomBytes } from 'node:crypto';
import { generateApiKey, hashApiKey } from '@logbook/koa';
import { createHostApp } from './app.js';

const port = Number(process.env.PORT ?? 3000);
const hostname = process.env.HOST ?? '127.0.0.1';
const dbPath = process.env.LOGBOOK_DB ?? './logbook.db';
const adminKey = generateApiKey('admin');
const users = (['admin', 'editor', 'reader'] as const).map((role) => ({ username: role, password: randomBytes(9).toString('base64url'), role }));

const host = await createHostApp({
  dbPath,
  audit: { kind: 'jsonl', path: `${dbPath}.audit.jsonl` },
  apiKeys: [{ id: 'admin', hash: await hashApiKey(adminKey), role: 'admin' }],
  users,
});
const url = await host.listen(port, hostname);
process.stdout.write(`example host on ${url}; Logbook under ${url}/mlflow (OpenAPI: ${url}/mlflow/openapi.json)\n`);
process.stdout.write(`admin API key (shown once): ${adminKey}\n`);
for (const u of users) process.stdout.write(`demo login: {"username":"${u.username}","password":"${u.password}"}\n`);

const stop = () => {
  void host.close().then(() => process.exit(0));
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
