import { randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { expectCode, uniqueName } from '@logbook/testkit';
import { MlflowStore } from '../src/index.js';
import { describeLive, live } from './helpers/live.js';

/** Asserts that nothing about `error` (message, stack, cause chain) shows the secret. */
function expectNoSecret(error: Error, username: string, password: string): void {
  const basic = Buffer.from(`${username}:${password}`).toString('base64');
  const everything = `${error.message}\n${error.stack ?? ''}\n${inspect(error, { depth: 10 })}`;
  expect(everything).not.toContain(password);
  expect(everything).not.toContain(basic);
}

describeLive('MlflowStore against the basic-auth server', () => {
  const reader = { username: `reader-${randomBytes(3).toString('hex')}`, password: randomBytes(12).toString('base64url') };
  let admin: MlflowStore;
  let experimentId: string;

  beforeAll(async () => {
    admin = new MlflowStore({ trackingUri: live().authUri, credentials: live().admin });
    experimentId = await admin.createExperiment({ name: uniqueName('auth') });
    await admin.transport.call('POST', '/api/2.0/mlflow/users/create', { json: reader });
    // MLflow 3.17 replaced /api/2.0/mlflow/experiments/permissions/create with a unified grant API.
    await admin.transport.call('POST', '/api/3.0/mlflow/users/permissions/grant', {
      json: { username: reader.username, resource_type: 'experiment', resource_id: experimentId, permission: 'READ' },
    });
  });
  afterAll(async () => {
    await admin?.close();
  });

  it('lets the admin create runs and log to them', async () => {
    const run = await admin.createRun({ experimentId });
    await admin.logBatch(run.info.runId, { metrics: [{ key: 'loss', value: 0.5, timestamp: Date.now(), step: 1 }] });
    expect((await admin.getRun(run.info.runId)).data.metrics).toEqual([expect.objectContaining({ key: 'loss', value: 0.5 })]);
  });

  it('answers a wrong password with UNAUTHENTICATED, without the credentials in the error', async () => {
    const wrong = { username: live().admin.username, password: `${live().admin.password}-wrong` };
    const store = new MlflowStore({ trackingUri: live().authUri, credentials: wrong });
    const error = await expectCode(store.getExperiment(experimentId), 'UNAUTHENTICATED');
    expect(error.message).toMatch(/^\[mlflow\] .*401.*credentials/);
    expectNoSecret(error, wrong.username, wrong.password);
    await store.close();
  });

  it('answers missing credentials and bearer tokens (not understood by basic-auth) with UNAUTHENTICATED', async () => {
    const anonymous = new MlflowStore({ trackingUri: live().authUri });
    await expectCode(anonymous.getExperiment(experimentId), 'UNAUTHENTICATED');
    const bearer = new MlflowStore({ trackingUri: live().authUri, credentials: { token: 'tok-abcdef-123456' } });
    const error = await expectCode(bearer.getExperiment(experimentId), 'UNAUTHENTICATED');
    expect(inspect(error, { depth: 10 })).not.toContain('tok-abcdef-123456');
    await Promise.all([anonymous.close(), bearer.close()]);
  });

  it('lets a READ user read the experiment but not log to it (PERMISSION_DENIED)', async () => {
    const store = new MlflowStore({ trackingUri: live().authUri, credentials: reader });
    expect((await store.getExperiment(experimentId)).experimentId).toBe(experimentId);
    const error = await expectCode(store.createRun({ experimentId }), 'PERMISSION_DENIED');
    expectNoSecret(error, reader.username, reader.password);
    const run = await admin.createRun({ experimentId });
    await expectCode(store.logBatch(run.info.runId, { params: [{ key: 'lr', value: '0.1' }] }), 'PERMISSION_DENIED');
    await store.close();
  });

  it('takes credentials from user info in the tracking URI without showing them in errors', async () => {
    const url = new URL(live().authUri);
    url.username = reader.username;
    url.password = reader.password;
    const store = new MlflowStore({ trackingUri: url.href });
    expect((await store.getExperiment(experimentId)).experimentId).toBe(experimentId);
    const error = await expectCode(store.getExperiment('999999999'), 'RESOURCE_DOES_NOT_EXIST');
    expectNoSecret(error, reader.username, reader.password);
    expect(store.transport.baseUri).not.toContain(reader.password);
    await store.close();
  });
});
