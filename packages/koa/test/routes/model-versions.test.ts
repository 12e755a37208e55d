import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { closeSync, mkdtempSync, openSync, readdirSync, rmSync, writeSync } from 'node:fs';
import { request } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ARTIFACT_PATH_TAG, ARTIFACT_RUN_TAG } from '@logbook/core';
import { LocalArtifactStore, SqliteStore } from '@logbook/sqlite';
import Koa from 'koa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogbookRouter } from '../../src/index.js';
import { startHost, unique } from '../../../../examples/koa-host/test/support.js';
import type { TestHost } from '../../../../examples/koa-host/test/support.js';

let t: TestHost;
beforeAll(async () => {
  t = await startHost();
});
afterAll(async () => {
  await t?.close();
});

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
/** 1.5 MiB of bytes that differ per seed. */
const modelBytes = (seed: number) => Buffer.from(Array.from({ length: 1_572_864 }, (_, i) => (i * 7 + seed * 13) % 256));

async function upload(name: string, bytes: Buffer | string, query = '', key = t.keys.admin, type = 'application/octet-stream') {
  const res = await fetch(`${t.base}/models/${encodeURIComponent(name)}/versions${query}`, {
    method: 'POST',
    headers: { 'x-api-key': key, 'content-type': type },
    body: bytes,
  });
  return { status: res.status, body: (await res.json()) as any };
}

async function download(name: string, ref: string, key = t.keys.reader) {
  const res = await fetch(`${t.base}/models/${encodeURIComponent(name)}/versions/${encodeURIComponent(ref)}/download`, { headers: { 'x-api-key': key } });
  return { res, bytes: res.status === 200 ? Buffer.from(await res.arrayBuffer()) : undefined };
}

/** Every file under `dir`, recursively. */
function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));
}

describe('POST /models/{name}/versions (bytes)', () => {
  it('streams the body into the artifact store with its SHA-256; the caller is recorded; reads come back byte for byte', async () => {
    const name = unique('bytes');
    const bytes = modelBytes(1);
    const first = await upload(name, bytes, '?file_name=poids-%F0%9F%94%AD.onnx&git_commit=0123456789abcdef&git_dirty=true', t.keys.editor);
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    expect(first.body).toMatchObject({ semver: '1.0.0', duplicate: false, model_version: { name, version: '1', current_stage: 'None' } });
    const tags = Object.fromEntries((first.body.model_version.tags as { key: string; value: string }[]).map((p) => [p.key, p.value]));
    expect(tags).toMatchObject({
      'logbook.sha256': sha(bytes),
      'logbook.size': String(bytes.length),
      'logbook.registeredBy': 'key:editor',
      'logbook.git.commit': '0123456789abcdef',
      'logbook.git.dirty': 'true',
    });
    for (const ref of ['1', '1.0.0', '^1', 'latest']) {
      const { res, bytes: back } = await download(name, ref);
      expect(res.status, ref).toBe(200);
      expect(back!.equals(bytes), ref).toBe(true);
      expect(res.headers.get('repr-digest')).toBe(`sha-256=:${createHash('sha256').update(bytes).digest('base64')}:`);
      expect(res.headers.get('content-disposition')).toBe("attachment; filename*=UTF-8''poids-%F0%9F%94%AD.onnx");
      expect(res.headers.get('x-logbook-size')).toBe(String(bytes.length));
    }
  });

  it('refuses the same bytes again (409), or names their version with on_duplicate=return (200)', async () => {
    const name = unique('dup');
    const bytes = modelBytes(2);
    expect((await upload(name, bytes)).status).toBe(201);
    const again = await upload(name, bytes);
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ error_code: 'RESOURCE_ALREADY_EXISTS', field: 'modelData' });
    const returned = await upload(name, bytes, '?on_duplicate=return');
    expect(returned.status).toBe(200);
    expect(returned.body).toMatchObject({ semver: '1.0.0', duplicate: true, model_version: { version: '1' } });
    const sets = ['nights,sha256:ab,s3://survey/n?x=1,2', 'flats,sha256:cd,file:///data/flats'].map((d) => `&dataset=${encodeURIComponent(d)}`).join('');
    const next = await upload(name, modelBytes(3), `?bump=major&parent_version=1.0.0&description=second${sets}`);
    expect(next.status).toBe(201);
    expect(next.body).toMatchObject({ semver: '2.0.0', model_version: { version: '2', description: 'second' } });
    const shown = await t.api(`/models/${name}/versions/2.0.0`, { key: t.keys.reader });
    expect(shown.status).toBe(200);
    expect(shown.body.lineage.map((e: { model_version: { version: string }; parent_version?: string }) => [e.model_version.version, e.parent_version])).toEqual([
      ['2', '1'],
      ['1', undefined],
    ]);
    expect(shown.body.lineage[1]).toMatchObject({ semver: '1.0.0', registered_by: 'key:admin', datasets: [] });
    expect(shown.body.lineage[0].datasets).toEqual([
      { name: 'nights', digest: 'sha256:ab', source: 's3://survey/n?x=1,2' },
      { name: 'flats', digest: 'sha256:cd', source: 'file:///data/flats' },
    ]);
  });

  it("takes a model name with a quote and a non-BMP character, and refuses one with '/' or ':'", async () => {
    const name = `o'brien-🔭-${unique('q')}`;
    const made = await upload(name, modelBytes(11));
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    expect(made.body.model_version.name).toBe(name);
    const listed = await t.api(`/models/${encodeURIComponent(name)}/versions`);
    expect(listed.body.model_versions.map((v: { name: string }) => v.name)).toEqual([name]);
    const { res, bytes } = await download(name, '1.0.0');
    expect(res.status).toBe(200);
    expect(bytes!.equals(modelBytes(11))).toBe(true);
    for (const bad of ['a/b', 'a:b']) {
      const refused = await upload(bad, 'x');
      expect(refused.status, bad).toBe(400);
      expect(refused.body.field, bad).toBe('name');
    }
  });

  it('links the version to a run given, which the caller must be able to write', async () => {
    const experiment = (await t.api('/experiments', { body: { name: unique('exp') } })).body.experiment_id as string;
    const runId = (await t.api(`/experiments/${experiment}/runs`, { body: {} })).body.run.info.run_id as string;
    const name = unique('with-run');
    const made = await upload(name, modelBytes(4), `?run_id=${runId}`, t.keys.editor);
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    expect(made.body.model_version.run_id).toBe(runId);
    expect((await upload(unique('m'), modelBytes(5), `?run_id=${runId}`, t.keys.reader)).status).toBe(403);
    expect((await upload(unique('m'), modelBytes(5), '?run_id=no-such-run')).status).toBe(404);
  });

  it('checks roles: reader 403, editor only for a new model, no key 401', async () => {
    const name = unique('roles');
    expect((await upload(name, modelBytes(6), '', t.keys.reader)).status).toBe(403);
    expect((await upload(name, modelBytes(6), '', t.keys.editor)).status).toBe(201);
    const over = await upload(name, modelBytes(7), '', t.keys.editor);
    expect(over.status).toBe(403);
    expect(over.body.error_code).toBe('PERMISSION_DENIED');
    const anonymous = await fetch(`${t.base}/models/${name}/versions`, { method: 'POST', headers: { 'content-type': 'application/octet-stream' }, body: 'x' });
    expect(anonymous.status).toBe(401);
  });

  it('answers bad input with a 4xx naming the field, and registers nothing', async () => {
    const name = unique('bad');
    const cases: [string, Buffer | string, string, number, string | undefined][] = [
      ['?semver=1.2', 'a', 'application/octet-stream', 400, 'semver'],
      ['?bump=huge', 'a', 'application/octet-stream', 400, 'bump'],
      ['?semver=1.0.0&semver=2.0.0', 'a', 'application/octet-stream', 400, 'semver'],
      ['?file_name=..%2F..%2Fetc', 'a', 'application/octet-stream', 400, 'fileName'],
      ['?file_name=..', 'a', 'application/octet-stream', 400, 'fileName'],
      ['?git_commit=not-hex', 'a', 'application/octet-stream', 400, 'git_commit'],
      ['?dataset=only,two', 'a', 'application/octet-stream', 400, 'dataset[0]'],
      ['?parent_version=7', 'a', 'application/octet-stream', 400, 'parentVersion'],
      ['', '{"a":1}', 'application/json', 415, 'body'],
      ['', '', 'application/octet-stream', 400, 'body'],
    ];
    for (const [query, body, type, status, field] of cases) {
      const res = await upload(name, body, query, t.keys.admin, type);
      expect(res.status, `${query} ${type}`).toBe(status);
      expect(res.body.field, `${query} ${type}`).toBe(field);
    }
    expect((await t.api(`/models/${name}/versions`)).status).toBe(404);
  });

  it('registers nothing when the client dies mid-upload', async () => {
    const name = unique('killed');
    expect((await upload(name, modelBytes(8))).status).toBe(201);
    const artifacts = join(t.folder, 'logbook-artifacts');
    const before = files(artifacts).length;
    const { port } = new URL(t.base);
    const req = request({
      host: '127.0.0.1',
      port,
      method: 'POST',
      path: `/mlflow/models/${name}/versions?bump=patch`,
      headers: { 'x-api-key': t.keys.admin, 'content-type': 'application/octet-stream', 'content-length': String(8 * 1024 * 1024) },
    });
    req.on('error', () => {
      /* the socket is destroyed on purpose */
    });
    req.write(modelBytes(9));
    // Kill the client once the server has started storing what it sent.
    let stored = false;
    // Bounds sized for a loaded CI machine (a flake was once seen here under load); a healthy run takes milliseconds.
    for (let i = 0; i < 600 && !stored; i++) {
      stored = files(artifacts).length > before;
      if (!stored) await new Promise((r) => setTimeout(r, 50));
    }
    expect(stored, 'the server never started storing the upload').toBe(true);
    const closed = new Promise((r) => req.once('close', r));
    req.destroy();
    await closed;
    // The server notices the abort, fails the upload and removes what it stored; wait for it.
    let versions: unknown[] = [];
    for (let i = 0; i < 300; i++) {
      versions = (await t.api(`/models/${name}/versions`)).body.model_versions as unknown[];
      if (files(artifacts).length === before) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(versions).toHaveLength(1);
    expect(files(artifacts).length).toBe(before);
  }, 90_000);
});

describe('GET /models/{name}/versions/{version}/download', () => {
  it('aborts the response when the stored bytes no longer match their SHA-256', async () => {
    const name = unique('tampered');
    const made = await upload(name, modelBytes(10));
    const tags = Object.fromEntries((made.body.model_version.tags as { key: string; value: string }[]).map((p) => [p.key, p.value]));
    const run = await t.host.logbook.stores.tracking.getRun(tags[ARTIFACT_RUN_TAG]!);
    // Same size, one byte changed in the middle: only the checksum can tell.
    const fd = openSync(join(fileURLToPath(run.info.artifactUri), tags[ARTIFACT_PATH_TAG]!), 'r+');
    writeSync(fd, Buffer.from([0xff ^ modelBytes(10)[700_000]!]), 0, 1, 700_000);
    closeSync(fd);
    const res = await fetch(`${t.base}/models/${name}/versions/1/download`, { headers: { 'x-api-key': t.keys.reader } });
    expect(res.status).toBe(200);
    await expect(res.arrayBuffer()).rejects.toThrow();
  });

  it('answers 409 for a version registered from a URI, 404 for unknown ones, 400 for bad references', async () => {
    const name = unique('uri');
    expect((await t.api('/models/register', { body: { name, source: 's3://bucket/model' } })).status).toBe(201);
    const uri = await t.api(`/models/${name}/versions/1/download`);
    expect(uri.status).toBe(409);
    expect(uri.body).toMatchObject({ error_code: 'INVALID_STATE', field: 'version' });
    expect(uri.body.message).toContain('registered from a URI');
    expect((await t.api(`/models/${name}/versions/9/download`)).status).toBe(404);
    expect((await t.api(`/models/${unique('none')}/versions/1/download`)).status).toBe(404);
    for (const ref of ['prod', 'v3', '%3E%3D1%20%3C']) {
      const bad = await t.api(`/models/${name}/versions/${ref}/download`);
      expect(bad.status, ref).toBe(400);
      expect(bad.body.error_code, ref).toBe('INVALID_PARAMETER_VALUE');
    }
    const other = await t.api(`/models/${name}/versions/1/download`, { key: t.keys.granted });
    expect(other.status).toBe(403);
  });
});

describe('maxModelBytes', () => {
  let dir: string;
  let store: SqliteStore;
  let server: Server;
  let base: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'logbook-koa-limit-'));
    store = new SqliteStore({ path: join(dir, 'logbook.db'), artifactRoot: join(dir, 'artifacts') });
    const router = createLogbookRouter({
      tracking: store,
      registry: store,
      artifacts: new LocalArtifactStore(),
      auth: { authenticators: [], anonymousRole: 'admin' },
      maxModelBytes: 1000,
      prefix: '',
    });
    server = new Koa().use(router.routes()).listen(0, '127.0.0.1');
    await once(server, 'listening');
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server?.close();
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const post = (name: string, body: Buffer | ReadableStream) =>
    fetch(`${base}/models/${name}/versions`, {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream' },
      body,
      ...(body instanceof ReadableStream && { duplex: 'half' }),
    } as RequestInit);

  it('takes a body of exactly the limit, and refuses a larger Content-Length with 413 before storing anything', async () => {
    expect((await post('at-limit', Buffer.alloc(1000, 1))).status).toBe(201);
    const over = await post('over-limit', Buffer.alloc(1001, 1));
    expect(over.status).toBe(413);
    expect(await over.json()).toMatchObject({ error_code: 'PAYLOAD_TOO_LARGE', field: 'body' });
    expect((await fetch(`${base}/models/over-limit/versions`)).status).toBe(404);
  });

  it('cuts a chunked body at the limit (413) and keeps none of it', async () => {
    const before = files(join(dir, 'artifacts')).length;
    const chunks = [Buffer.alloc(600, 2), Buffer.alloc(600, 3)];
    const body = new ReadableStream({
      pull(c) {
        const next = chunks.shift();
        if (next === undefined) c.close();
        else c.enqueue(next);
      },
    });
    const res = await post('chunked', body);
    expect(res.status).toBe(413);
    expect(files(join(dir, 'artifacts')).length).toBe(before);
    expect((await fetch(`${base}/models/chunked/versions`)).status).toBe(404);
  });
});
