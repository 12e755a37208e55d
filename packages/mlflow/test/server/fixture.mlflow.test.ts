import { expect, it } from 'vitest';
import { describeLive, live } from '../helpers/live.js';
import { pinnedMlflowVersion } from '../helpers/pins.js';

describeLive('test/setup/mlflow (live servers)', () => {
  it('runs the pinned MLflow version on PostgreSQL', async () => {
    expect(live().version).toBe(pinnedMlflowVersion());
    const response = await fetch(`${live().uri}/api/3.0/mlflow/server-info`);
    expect(await response.json()).toMatchObject({ store_type: 'SqlStore' });
  });

  it('serves a basic-auth server that answers /health without credentials and the API only with them', async () => {
    const { authUri, admin } = live();
    expect((await fetch(`${authUri}/health`)).status).toBe(200);
    const search = `${authUri}/api/2.0/mlflow/experiments/search?max_results=1`;
    expect((await fetch(search)).status).toBe(401);
    const authorization = `Basic ${Buffer.from(`${admin.username}:${admin.password}`).toString('base64')}`;
    expect((await fetch(search, { headers: { authorization } })).status).toBe(200);
  });
});
