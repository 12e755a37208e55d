import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SessionTokens } from '../src/sessions.js';
import { USERS, startHost, unique } from './support.js';
import type { TestHost } from './support.js';

describe('example host: authentication and roles', () => {
  let t: TestHost;
  let grantedExp: string;
  let otherExp: string;
  const grantedModel = unique('granted-model');

  beforeAll(async () => {
    // Experiment ids are sequential in a fresh SQLite store: 1 and 2 will be created below.
    t = await startHost({ grants: { experiments: { '1': 'editor' }, models: { [grantedModel]: 'admin' } } });
    grantedExp = (await t.api('/experiments', { body: { name: unique('granted') } })).body.experiment_id;
    otherExp = (await t.api('/experiments', { body: { name: unique('other') } })).body.experiment_id;
    expect(grantedExp).toBe('1');
  });
  afterAll(async () => {
    await t?.close();
  });

  async function login(username: string, password: string) {
    const res = await fetch(`${t.url}/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
    return { status: res.status, body: (await res.json()) as { token?: string }, cookie: res.headers.get('set-cookie') };
  }

  it('keeps the host routes of its own', async () => {
    const home = await fetch(`${t.url}/`);
    expect(await home.json()).toMatchObject({ app: 'example host' });
  });

  it('answers 401 with WWW-Authenticate when no credentials are sent', async () => {
    const res = await t.api('/experiments', { key: null });
    expect(res.status).toBe(401);
    expect(res.body.error_code).toBe('UNAUTHENTICATED');
    expect(res.headers.get('www-authenticate')).toMatch(/Bearer/);
  });

  it('refuses unknown, truncated and wrong-secret API keys', async () => {
    for (const key of ['nope', `${t.keys.admin}x`, t.keys.admin.slice(0, -1), 'admin.', `editor.${t.keys.admin.split('.')[1]}`]) {
      expect((await t.api('/experiments', { key })).status, key).toBe(401);
    }
  });

  it('accepts sha256- and scrypt-hashed keys with their roles', async () => {
    expect((await t.api('/experiments', { key: t.keys.reader })).status).toBe(200);
    expect((await t.api('/experiments', { key: t.keys.editor, body: { name: unique('by-editor') } })).status).toBe(201);
    expect((await t.api('/experiments', { key: t.keys.reader, body: { name: unique('by-reader') } })).status).toBe(403);
  });

  it('accepts the host session token as a bearer token and refuses forged or expired ones', async () => {
    const session = await login('bob', USERS[1]!.password);
    expect(session.status).toBe(200);
    const auth = (token: string) => ({ authorization: `Bearer ${token}` });
    expect((await t.api('/experiments', { key: null, headers: auth(session.body.token!), body: { name: unique('bearer') } })).status).toBe(201);
    // Forged: claims admin with a signature made with another secret.
    const forged = new SessionTokens().issue({ id: 'mallory', role: 'admin' });
    expect((await t.api('/experiments', { key: null, headers: auth(forged) })).status).toBe(401);
    // Tampered: the real signature on an edited payload.
    const [, sig] = session.body.token!.split('.');
    const payload = Buffer.from(JSON.stringify({ sub: 'bob', role: 'admin', exp: Date.now() + 60_000 })).toString('base64url');
    expect((await t.api('/experiments', { key: null, headers: auth(`${payload}.${sig}`) })).status).toBe(401);
    const expired = t.host.sessions.issue({ id: 'bob', role: 'editor' }, Date.now() - 7_200_000);
    expect((await t.api('/experiments', { key: null, headers: auth(expired) })).status).toBe(401);
    expect((await login('bob', 'wrong')).status).toBe(401);
  });

  it("trusts the host's cookie session (ctx.state.user) with the user's role", async () => {
    const session = await login('carol', USERS[2]!.password);
    const cookie = session.cookie!.split(';')[0]!;
    expect((await t.api('/experiments', { key: null, headers: { cookie } })).status).toBe(200);
    expect((await t.api('/experiments', { key: null, headers: { cookie }, body: { name: unique('carol') } })).status).toBe(403);
  });

  it('lets a per-experiment grant write to that experiment only', async () => {
    const mine = await t.api(`/experiments/${grantedExp}/runs`, { key: t.keys.granted, body: {} });
    expect(mine.status).toBe(201);
    expect(mine.body.run.info.user_id).toBe('key:granted');
    expect((await t.api(`/runs/${mine.body.run.info.run_id}/log-batch`, { key: t.keys.granted, body: { params: [{ key: 'a', value: '1' }] } })).status).toBe(200);
    expect((await t.api(`/experiments/${otherExp}/runs`, { key: t.keys.granted, body: {} })).status).toBe(403);
    expect((await t.api(`/experiments/${otherExp}`, { key: t.keys.granted })).status).toBe(403);
    // No global role: listing everything is refused.
    expect((await t.api('/experiments', { key: t.keys.granted })).status).toBe(403);
    const other = (await t.api(`/experiments/${otherExp}/runs`, { body: {} })).body.run.info.run_id;
    expect((await t.api(`/runs/${other}`, { key: t.keys.granted })).status).toBe(403);
    // Admin acts (delete) need admin even with an editor grant.
    expect((await t.api(`/runs/${mine.body.run.info.run_id}`, { key: t.keys.granted, method: 'DELETE' })).status).toBe(403);
  });

  it('checks model permissions on registry operations', async () => {
    const name = unique('m');
    expect((await t.api('/models/register', { key: t.keys.reader, body: { name, source: 's3://b/m' } })).status).toBe(403);
    expect((await t.api('/models/register', { key: t.keys.editor, body: { name, source: 's3://b/m' } })).status).toBe(201);
    // A second version registers over existing ones: admin only.
    expect((await t.api('/models/register', { key: t.keys.editor, body: { name, source: 's3://b/m2' } })).status).toBe(403);
    expect((await t.api('/models/register', { key: t.keys.admin, body: { name, source: 's3://b/m2' } })).status).toBe(201);
    const path = `/models/${name}/versions/1/transition`;
    expect((await t.api(path, { key: t.keys.editor, body: { stage: 'Staging' } })).status).toBe(200);
    expect((await t.api(path, { key: t.keys.editor, body: { stage: 'Production' } })).status).toBe(403);
    expect((await t.api(path, { key: t.keys.editor, body: { stage: 'Staging', archive_existing_versions: true } })).status).toBe(403);
    expect((await t.api(path, { key: t.keys.admin, body: { stage: 'Production' } })).status).toBe(200);
    // A per-model admin grant works on that model only.
    expect((await t.api('/models/register', { key: t.keys.granted, body: { name: grantedModel, source: 's3://b/g' } })).status).toBe(201);
    expect((await t.api(`/models/${grantedModel}/versions/1/transition`, { key: t.keys.granted, body: { stage: 'Production' } })).status).toBe(200);
    expect((await t.api(path, { key: t.keys.granted, body: { stage: 'Archived' } })).status).toBe(403);
    expect((await t.api(`/models/${name}/versions`, { key: t.keys.granted })).status).toBe(403);
  });
});
