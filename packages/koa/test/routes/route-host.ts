import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Koa from 'koa';
import { createLogbook } from '@logbook/core';
import type { Logbook, LogbookConfigInput } from '@logbook/core';
// Registers the embedded SQLite backend for file tracking URIs.
import '@logbook/sqlite';
import { apiKeyAuth, createLogbookRouter, generateApiKey, hashApiKey } from '../../src/index.js';
import { apiCaller } from '../../../../test/setup/http.js';
import type { ApiInit } from '../../../../test/setup/http.js';

/** Plain-text API keys of the test principals, one per role. */
export interface RouteKeys {
  readonly admin: string;
  readonly editor: string;
  readonly reader: string;
}

/** A Koa app on 127.0.0.1:0 with only Logbook's router mounted, and a small JSON client for it. */
export interface RouteHost {
  readonly logbook: Logbook;
  readonly url: string;
  /** `url` plus the router's prefix (`/mlflow`). */
  readonly base: string;
  readonly keys: RouteKeys;
  /** Calls `${base}${path}` with the given key (default: admin) and JSON body. */
  api(path: string, init?: ApiInit): Promise<{ status: number; body: any; headers: Headers }>;
  close(): Promise<void>;
}

/**
 * Starts a bare host: `createLogbook` (a SQLite file in a temp folder unless `config` says
 * otherwise; no spool, as an API host answers with the server's own ids), `createLogbookRouter`
 * under `/mlflow` with API-key auth, nothing else.
 */
export async function startRouteHost(config: LogbookConfigInput = {}): Promise<RouteHost> {
  const folder = mkdtempSync(join(tmpdir(), 'logbook-koa-routes-'));
  const keys: RouteKeys = { admin: generateApiKey('admin'), editor: generateApiKey('editor'), reader: generateApiKey('reader') };
  const logbook = await createLogbook({ trackingUri: join(folder, 'logbook.db'), logLevel: 'silent', spool: { enabled: false }, logging: { drainOnExit: false }, ...config }, { env: {}, cwd: folder });
  const apiKeys = [
    { id: 'admin', hash: await hashApiKey(keys.admin, 'sha256'), role: 'admin' as const },
    { id: 'editor', hash: await hashApiKey(keys.editor, 'sha256'), role: 'editor' as const },
    { id: 'reader', hash: await hashApiKey(keys.reader, 'sha256'), role: 'reader' as const },
  ];
  const app = new Koa();
  app.silent = true;
  const router = createLogbookRouter({ logbook, prefix: '/mlflow', auth: { authenticators: [apiKeyAuth({ keys: apiKeys })] } });
  app.use(router.routes());
  const server: Server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const base = `${url}/mlflow`;
  return {
    logbook,
    url,
    base,
    keys,
    api: apiCaller(base, keys.admin),
    async close() {
      await new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
      await logbook.close();
      rmSync(folder, { recursive: true, force: true });
    },
  };
}

export { rawGet, unique } from '../../../../test/setup/http.js';
