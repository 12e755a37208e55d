// Global setup of the 'mlflow' and 'e2e' test projects: starts two real MLflow servers once per run
// (through @logbook/mlflow's own MlflowServer) and provides their addresses to tests via inject().
//   - `mlflow.uri`: PostgreSQL backend store (a fresh database per run, dropped at teardown),
//     artifacts proxied to a temp folder;
//   - `mlflow.authUri`: the same plus the basic-auth app (`--app-name basic-auth`).
// Without the venv or PostgreSQL it fails with what to install; only LOGBOOK_SKIP_MLFLOW=1 (never in
// CI) turns that into skipped tests.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { TestProject } from 'vitest/node';
import { MlflowServer, locateMlflowBinary } from '../../packages/mlflow/src/index.js';

/** What tests get from `inject('mlflow')`; `null` when the developer chose LOGBOOK_SKIP_MLFLOW=1. */
export interface LiveMlflow {
  /** Base URI of the plain server, e.g. `http://127.0.0.1:41234`. */
  readonly uri: string;
  /** Base URI of the basic-auth server. */
  readonly authUri: string;
  /** Admin of the basic-auth server (random per run). */
  readonly admin: { readonly username: string; readonly password: string };
  /** `/version` of the plain server. */
  readonly version: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    mlflow: LiveMlflow | null;
    mlflowSkipReason: string;
  }
}

const run = promisify(execFile);
const pg = { host: process.env.PGHOST ?? '127.0.0.1', port: process.env.PGPORT ?? '5432', user: process.env.PGUSER ?? 'postgres' };
const psql = (sql: string) => run('psql', ['-h', pg.host, '-p', pg.port, '-U', pg.user, '-v', 'ON_ERROR_STOP=1', '-q', '-d', 'postgres', '-c', sql], { timeout: 60_000 });

const HOW =
  'Install the test services with `bash scripts/setup-python.sh` (pinned MLflow in .cache/venv) and a PostgreSQL on 127.0.0.1:5432 with trust auth for user postgres (`bash scripts/ensure-postgres.sh` starts an installed one).';

async function missingService(): Promise<string | undefined> {
  try {
    locateMlflowBinary(undefined);
  } catch (error) {
    return `MLflow is not installed: ${(error as Error).message}`;
  }
  try {
    await psql('SELECT 1');
  } catch (error) {
    return `PostgreSQL is not reachable at ${pg.host}:${pg.port} as ${pg.user} (psql: ${(error as Error).message.split('\n')[0]}).`;
  }
  return undefined;
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const missing = await missingService();
  if (missing !== undefined) {
    if (process.env.CI !== 'true' && process.env.LOGBOOK_SKIP_MLFLOW === '1') {
      project.provide('mlflow', null);
      project.provide('mlflowSkipReason', `LOGBOOK_SKIP_MLFLOW=1 and ${missing}`);
      return async () => {};
    }
    throw new Error(`[test/setup/mlflow] ${missing}\n${HOW}\n(Locally, LOGBOOK_SKIP_MLFLOW=1 skips the MLflow tests instead.)`);
  }

  const id = randomBytes(6).toString('hex');
  const databases = [`logbook_test_${id}`, `logbook_test_${id}_auth`];
  const artifactsRoot = mkdtempSync(join(tmpdir(), 'logbook-mlflow-artifacts-'));
  const admin = { username: 'logbook-admin', password: randomBytes(18).toString('base64url') };
  const servers: MlflowServer[] = [];
  const teardown = async () => {
    // Vitest's teardownTimeout is 10 s by default: stop and drop in parallel (FORCE ends the
    // servers' connections if they are still open).
    await Promise.all([...servers.map((s) => s.stop()), ...databases.map((db) => psql(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`).catch(() => undefined))]);
    rmSync(artifactsRoot, { recursive: true, force: true });
  };
  try {
    for (const db of databases) await psql(`CREATE DATABASE ${db}`);
    const dbUrl = (db: string) => `postgresql://${pg.user}@${pg.host}:${pg.port}/${db}`;
    const plain = new MlflowServer({ workers: 2, maxRestarts: 0, stopTimeoutMs: 5000 })
      .setupDatabaseBackend(dbUrl(databases[0]!))
      .configureArtifactStore({ kind: 'local', directory: join(artifactsRoot, 'plain') });
    const auth = new MlflowServer({ workers: 1, maxRestarts: 0, stopTimeoutMs: 5000 })
      .setupDatabaseBackend(dbUrl(databases[1]!))
      .configureArtifactStore({ kind: 'local', directory: join(artifactsRoot, 'auth') })
      .configureAuthentication({ adminUsername: admin.username, adminPassword: admin.password, secretKey: randomBytes(24).toString('hex') });
    servers.push(plain, auth);
    const [uri, authUri] = await Promise.all([plain.startTrackingServer('127.0.0.1', 0), auth.startTrackingServer('127.0.0.1', 0)]);
    const version = (await plain.status(30_000)).version ?? 'unknown';
    project.provide('mlflow', { uri, authUri, admin, version });
    project.provide('mlflowSkipReason', '');
  } catch (error) {
    await teardown();
    throw error;
  }
  return teardown;
}
