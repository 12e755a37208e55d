/*
 * The MLflow server every MLflow bench measures against, set up in one place: the pinned version
 * (through MlflowServer), 2 workers, no restarts, local artifacts in the bench's folder, and a
 * fresh PostgreSQL database as backend store when `psql` reaches one (else SQLite in the folder).
 * `stop()` stops the server and drops the database.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { promisify } from 'node:util';

type MlflowModule = typeof import('../../packages/mlflow/dist/index.js');

const run = promisify(execFile);

/** A running bench server. */
export interface BenchServer {
  readonly uri: string;
  /** `postgresql` or `sqlite`. */
  readonly backendKind: string;
  /** The server's MLflow version. */
  version(): Promise<string>;
  stop(): Promise<void>;
}

/** A fresh backend store: a new PostgreSQL database when `psql` reaches one, else SQLite in `dir`. */
export async function benchBackendStore(dir: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const db = `logbook_bench_${randomBytes(4).toString('hex')}`;
  const psql = (sql: string) => run('psql', ['-h', '127.0.0.1', '-U', 'postgres', '-d', 'postgres', '-q', '-v', 'ON_ERROR_STOP=1', '-c', sql]);
  try {
    await psql(`CREATE DATABASE ${db}`);
    return { url: `postgresql://postgres@127.0.0.1:5432/${db}`, drop: () => psql(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`).then(() => undefined) };
  } catch {
    return { url: `sqlite:///${join(dir, 'mlflow.db')}`, drop: async () => {} };
  }
}

/** Starts the bench's MLflow server on a free port of 127.0.0.1, its artifacts under `dir/artifacts`. */
export async function startBenchServer(mlflow: MlflowModule, dir: string): Promise<BenchServer> {
  const backend = await benchBackendStore(dir);
  const server = new mlflow.MlflowServer({ workers: 2, maxRestarts: 0 }).setupDatabaseBackend(backend.url).configureArtifactStore({ kind: 'local', directory: join(dir, 'artifacts') });
  const stop = async (): Promise<void> => {
    try {
      await server.stop();
    } finally {
      await backend.drop();
    }
  };
  try {
    const uri = await server.startTrackingServer('127.0.0.1', 0);
    return { uri, backendKind: backend.url.split(':')[0]!, version: async () => (await server.status()).version ?? 'unknown', stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
