import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../fixture.js';

describe('logbook mlflow-server (in-process, no server)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'logbook-cli-mlflow-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('start exits 2 naming the option for a bad backend store URL', async () => {
    const r = await cli(['mlflow-server', 'start', '--backend-store-uri', 'postgresql://u:pw@/nodb'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--backend-store-uri');
    expect(r.stderr).not.toContain(':pw@');
  });

  it('start exits 4 and says how to install mlflow when there is no executable', async () => {
    const r = await cli(['mlflow-server', 'start', '--port', '5999'], { cwd: dir, env: {} });
    expect(r.code).toBe(4);
    expect(r.stderr).toContain('bash scripts/setup-python.sh');
    expect(r.stderr).toContain('LOGBOOK_MLFLOW_BIN');
  });

  it('status exits 2 for a tracking URI that is not http(s)', async () => {
    const r = await cli(['mlflow-server', 'status'], { cwd: dir, dbPath: 'sqlite:///x.db' });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('must be an http(s):// MLflow server');
  });
});
