import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listenMlflowApi } from '@logbook/koa/mlflow-api';
import type { MlflowApiServer } from '@logbook/koa/mlflow-api';
import { LocalArtifactStore, SqliteStore } from '@logbook/sqlite';
import { serveAuthOf } from '../../src/commands/serve-auth.js';

// serveAuthOf's result mounted on a real server over a real SQLite store; requests with fetch.
describe('serveAuthOf', () => {
  let dir: string;
  let store: SqliteStore;
  const servers: MlflowApiServer[] = [];
  const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`, 'utf8').toString('base64')}`;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'logbook-serve-auth-'));
    const root = pathToFileURL(join(dir, 'artifacts')).href;
    store = new SqliteStore({ path: join(dir, 'logbook.db'), artifactRoot: root });
  });

  afterAll(async () => {
    for (const s of servers) await s.close();
    store.close();
    await rm(dir, { recursive: true, force: true });
  });

  /** Status of one search request to a server with `flags` and `env`, sending `authorization`. */
  async function statusWith(flags: Parameters<typeof serveAuthOf>[0], env: NodeJS.ProcessEnv, authorization?: string): Promise<number> {
    const server = await listenMlflowApi({
      tracking: store,
      registry: store,
      artifacts: new LocalArtifactStore({ root: pathToFileURL(join(dir, 'artifacts')).href }),
      port: 0,
      auth: serveAuthOf(flags, env).auth,
    });
    servers.push(server);
    const res = await fetch(`${server.url}/api/2.0/mlflow/experiments/search?max_results=1`, { headers: authorization === undefined ? {} : { authorization } });
    await res.arrayBuffer();
    return res.status;
  }

  it('is open with no flag and no variable, and says so', async () => {
    expect(serveAuthOf({}, {}).closed).toBe(false);
    expect(await statusWith({}, {})).toBe(200);
    // MLflow's client variables are the client's: they never close the server.
    expect(serveAuthOf({}, { MLFLOW_TRACKING_USERNAME: 'u', MLFLOW_TRACKING_PASSWORD: 'p', MLFLOW_TRACKING_TOKEN: 't', LOGBOOK_SERVE_BASIC_AUTH: '' }).closed).toBe(false);
  });

  it('checks user and password (colons and non-BMP characters in the password included)', async () => {
    const flags = { basicAuth: 'astro:pa:ss🔭' };
    expect(await statusWith(flags, {}, basic('astro', 'pa:ss🔭'))).toBe(200);
    expect(await statusWith(flags, {}, basic('astro', 'pa:ss'))).toBe(401);
    expect(await statusWith(flags, {}, basic('Astro', 'pa:ss🔭'))).toBe(401);
    expect(await statusWith(flags, {})).toBe(401);
    expect(await statusWith(flags, {}, 'Bearer pa-ss')).toBe(401);
  });

  it('takes the flag over the variable, and the token from LOGBOOK_SERVE_BEARER_TOKEN', async () => {
    expect(await statusWith({ basicAuth: 'a:flag' }, { LOGBOOK_SERVE_BASIC_AUTH: 'a:env' }, basic('a', 'env'))).toBe(401);
    expect(await statusWith({}, { LOGBOOK_SERVE_BEARER_TOKEN: 'tok-1' }, 'Bearer tok-1')).toBe(200);
    expect(await statusWith({}, { LOGBOOK_SERVE_BEARER_TOKEN: 'tok-1' }, 'Bearer tok-12')).toBe(401);
  });

  it('refuses malformed credentials, naming the flag and the rule', () => {
    for (const bad of ['no-colon', ':pw', 'user:', '']) {
      expect(() => serveAuthOf({ basicAuth: bad }, {})).toThrow(/--basic-auth \(or LOGBOOK_SERVE_BASIC_AUTH\) must be 'user:password'/);
    }
    expect(() => serveAuthOf({ bearerToken: 'a b' }, {})).toThrow(/--bearer-token .* white space/);
  });
});
