import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateApiKey, hashApiKey } from '@logbook/koa';
import type { ApiKeyRecord } from '@logbook/koa';
import { createHostApp } from '../src/app.js';
import type { HostApp, HostAppOptions } from '../src/app.js';
import { apiCaller } from '../../../test/setup/http.js';
import type { ApiInit } from '../../../test/setup/http.js';

/** Plain-text credentials of the test principals (what clients hold; the host stores hashes). */
export interface TestKeys {
  readonly admin: string;
  readonly editor: string;
  readonly reader: string;
  /** No global role; grants given by the test. */
  readonly granted: string;
}

export const USERS = [
  { username: 'alice', password: 'alice-Secret-1', role: 'admin' as const },
  { username: 'bob', password: 'bob-Secret-2', role: 'editor' as const },
  { username: 'carol', password: 'carol-Secret-3', role: 'reader' as const },
];

/** A started host and a small JSON client for it. */
export interface TestHost {
  readonly host: HostApp;
  readonly url: string;
  readonly base: string;
  readonly keys: TestKeys;
  readonly folder: string;
  /** Calls `${base}${path}` with the given key (default: admin) and JSON body. */
  api(path: string, init?: ApiInit): Promise<{ status: number; body: any; headers: Headers }>;
  close(): Promise<void>;
}

/** Starts the example host on 127.0.0.1:0 with four API keys (sha256 and scrypt hashes). */
export async function startHost(options: HostAppOptions & { grants?: ApiKeyRecord['grants'] } = {}): Promise<TestHost> {
  const folder = mkdtempSync(join(tmpdir(), 'logbook-koa-test-'));
  const keys: TestKeys = { admin: generateApiKey('admin'), editor: generateApiKey('editor'), reader: generateApiKey('reader'), granted: generateApiKey('granted') };
  const apiKeys: ApiKeyRecord[] = [
    { id: 'admin', hash: await hashApiKey(keys.admin, 'sha256'), role: 'admin' },
    { id: 'editor', hash: await hashApiKey(keys.editor, 'scrypt', 1024), role: 'editor' },
    { id: 'reader', hash: await hashApiKey(keys.reader, 'sha256'), role: 'reader' },
    { id: 'granted', hash: await hashApiKey(keys.granted, 'sha256'), ...(options.grants && { grants: options.grants }) },
  ];
  const host = await createHostApp({ dbPath: join(folder, 'logbook.db'), users: USERS, apiKeys, ...options });
  const url = await host.listen();
  const base = `${url}${options.prefix ?? '/mlflow'}`;
  return {
    host,
    url,
    base,
    keys,
    folder,
    api: apiCaller(base, keys.admin),
    close: () => host.close(),
  };
}

export { rawGet, unique } from '../../../test/setup/http.js';
