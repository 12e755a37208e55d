import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import Koa from 'koa';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogbookRouter } from '@logbook/koa';
import { LocalArtifactStore, SqliteStore } from '@logbook/sqlite';
import { startHost, unique } from './support.js';
import type { TestHost } from './support.js';

/** A body or message that shows no server path: not the host's folder, not a system folder. */
function expectNoServerPath(text: string, folder: string): void {
  expect(text).not.toContain(folder);
  expect(text).not.toMatch(/\/etc\b|\/tmp\b|root:x:/);
}

describe('example host: artifact locations and files outside the artifact root', () => {
  let t: TestHost;
  let rootUri: string;
  beforeAll(async () => {
    t = await startHost();
    rootUri = pathToFileURL(join(t.folder, 'logbook-artifacts')).href;
  });
  afterAll(async () => {
    await t?.close();
  });

  async function newRun(location?: string): Promise<{ runId: string; folder: string }> {
    const created = await t.api('/experiments', { body: { name: unique('loc'), ...(location && { artifact_location: location }) } });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const run = (await t.api(`/experiments/${created.body.experiment_id}/runs`, { body: {} })).body.run;
    return { runId: run.info.run_id, folder: fileURLToPath(run.info.artifact_uri) };
  }

  it('refuses hostile artifact_location values with 400 naming the field, without echoing server paths', async () => {
    const hostile = [
      'file:///etc?x=',
      'file:///etc#',
      'file:///?',
      `${rootUri}?x=`,
      `${rootUri}#`,
      '../../../etc',
      'etc',
      `${rootUri}/../../../etc`,
      `${rootUri}/%2e%2e/%2e%2e/%2e%2e/etc`,
      'file:///etc',
      'file:///',
      '/etc',
      `${rootUri}-evil/x`,
      'http://example.test/x',
      'runs:/0123/artifacts',
      'file://evil-host/etc',
      'file:///etc/%00',
    ];
    for (const location of hostile) {
      const res = await t.api('/experiments', { body: { name: unique('hostile'), artifact_location: location } });
      expect(res.status, location).toBe(400);
      expect(res.body, location).toMatchObject({ error_code: 'INVALID_PARAMETER_VALUE', field: 'artifact_location' });
      expectNoServerPath(res.body.message, t.folder);
    }
    const listed = (await t.api('/experiments?max_results=1000')).body.experiments as { name: string }[];
    expect(listed.filter((e) => e.name.startsWith('hostile-'))).toEqual([]);
  });

  it('accepts locations inside the artifact root and of other allowed schemes; runs go under them', async () => {
    const inside = `${rootUri}/team-a`;
    const created = await t.api('/experiments', { body: { name: unique('inside'), artifact_location: inside } });
    expect(created.status).toBe(201);
    const run = (await t.api(`/experiments/${created.body.experiment_id}/runs`, { body: {} })).body.run;
    expect(run.info.artifact_uri).toBe(`${inside}/${run.info.run_id}/artifacts`);
    expect((await t.api('/experiments', { body: { name: unique('s3'), artifact_location: 's3://bucket/prefix' } })).status).toBe(201);
  });

  it('does not serve a symbolic link that leaves the run folder', async () => {
    const { runId, folder } = await newRun();
    await t.host.logbook.stores.artifacts.put(pathToFileURL(folder).href, 'ok.txt', Buffer.from('fine'));
    symlinkSync('/etc/passwd', join(folder, 'leak'));
    symlinkSync('/etc', join(folder, 'etc'));
    mkdirSync(join(folder, 'a'));
    symlinkSync('/etc', join(folder, 'a', 'b'));
    expect((await t.api(`/artifacts/${runId}/ok.txt`)).body).toBe('fine');
    for (const path of ['leak', 'etc/passwd', 'a/b/passwd']) {
      const res = await t.api(`/artifacts/${runId}/${path}`);
      expect(res.status, path).toBe(403);
      expect(res.body.error_code).toBe('PERMISSION_DENIED');
      expectNoServerPath(JSON.stringify(res.body), t.folder);
    }
  });

  it('does not let a run stored before locations were checked read outside its folder', async () => {
    const { runId } = await newRun();
    const db = new Database(join(t.folder, 'logbook.db'));
    const setUri = (uri: string) => db.prepare('UPDATE runs SET artifact_uri = ? WHERE run_uuid = ?').run(uri, runId);
    try {
      for (const [uri, path, status] of [
        [`file:///etc?x=/${runId}/artifacts`, 'passwd', 400],
        [`file:///etc#/${runId}/artifacts`, 'passwd', 400],
        [`file:///?/${runId}/artifacts`, 'etc/passwd', 400],
        [`${rootUri}/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc`, 'passwd', 400],
        ['file:///etc', 'passwd', 403],
      ] as const) {
        setUri(uri);
        const res = await t.api(`/artifacts/${runId}/${path}`);
        expect(res.status, uri).toBe(status);
        expectNoServerPath(JSON.stringify(res.body), t.folder);
      }
    } finally {
      db.close();
    }
  });

  it('counts the artifact path limit (1024) in characters: 984 emoji in 24 folders pass (1991 UTF-16 units), 1025 characters are refused', async () => {
    const { runId, folder } = await newRun();
    const name = '😀'.repeat(40);
    await t.host.logbook.stores.artifacts.put(pathToFileURL(folder).href, name, Buffer.from('emoji'));
    expect((await t.api(`/artifacts/${runId}/${encodeURIComponent(name)}`)).body).toBe('emoji');
    const long = Array.from({ length: 24 }, () => '😀'.repeat(41)).join('/');
    expect((await t.api(`/artifacts/${runId}/${long.split('/').map(encodeURIComponent).join('/')}`)).status).toBe(404);
    const over = await t.api(`/artifacts/${runId}/${'a'.repeat(1025)}`);
    expect(over.status).toBe(400);
    expect(over.body).toMatchObject({ field: 'path' });
  });

  it('names the artifact path relative to the run, never the server folder, in 404s', async () => {
    const { runId } = await newRun();
    const res = await t.api(`/artifacts/${runId}/missing/x.txt`);
    expect(res.status).toBe(404);
    expect(res.body.message).toContain("'missing/x.txt'");
    expectNoServerPath(res.body.message, t.folder);
  });
});

describe('createLogbookRouter: allowArtifactLocationsOutsideRoot', () => {
  it('accepts file: locations elsewhere only when the host opts out (router and store); other rules stay', async () => {
    const elsewhere = pathToFileURL(mkdtempSync(join(tmpdir(), 'logbook-elsewhere-'))).href;
    const store = new SqliteStore({ path: ':memory:', allowArtifactLocationsOutsideRoot: true });
    const post = async (allow: boolean, location: string): Promise<number> => {
      const app = new Koa();
      const router = createLogbookRouter({
        stores: { tracking: store, registry: store, artifacts: new LocalArtifactStore() },
        auth: { authenticators: [], anonymousRole: 'admin' },
        allowArtifactLocationsOutsideRoot: allow,
      });
      app.use(router.routes());
      const server = app.listen(0, '127.0.0.1');
      await new Promise((r) => server.once('listening', r));
      try {
        const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/mlflow/experiments`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ name: unique('elsewhere'), artifact_location: location }),
        });
        return res.status;
      } finally {
        server.closeAllConnections();
        await new Promise((r) => server.close(r));
      }
    };
    try {
      expect(await post(false, `${elsewhere}/a`)).toBe(400);
      expect(await post(true, `${elsewhere}/a`)).toBe(201);
      expect(await post(true, `${elsewhere}?x=`)).toBe(400);
      expect(await post(true, 'relative/folder')).toBe(400);
    } finally {
      await store.close();
      rmSync(fileURLToPath(elsewhere), { recursive: true, force: true });
    }
  });
});
