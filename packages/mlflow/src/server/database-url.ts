import { LogbookError } from '@logbook/core';

/** A validated backend store URI, in the form `mlflow server --backend-store-uri` takes. */
export interface BackendStoreUri {
  readonly uri: string;
  readonly dialect: 'postgresql' | 'mysql' | 'sqlite';
  /** The password inside the URI, if any, so logs can redact it. */
  readonly secret?: string;
}

const fail = (message: string): never => {
  throw new LogbookError('INVALID_CONFIGURATION', `[mlflow] ${message}`, { field: 'databaseUrl' });
};

/**
 * Validates a database URL for MLflow's SQLAlchemy stores. `postgresql://` and `postgres://` get
 * the psycopg2 driver made explicit: SQLAlchemy 2.1 (what MLflow 3.17 installs) defaults to
 * psycopg 3, which MLflow does not install; we pin `psycopg2-binary`. `mysql://` gets pymysql.
 * @throws INVALID_CONFIGURATION naming what is wrong; the message never contains the password.
 */
export function parseDatabaseUrl(databaseUrl: string): BackendStoreUri {
  const match = /^([a-z][a-z0-9+]*):(.*)$/i.exec(databaseUrl.trim());
  if (match === null) {
    return fail('databaseUrl must be a URL such as postgresql://user@host:5432/db, mysql://user@host/db or sqlite:///path/mlflow.db.');
  }
  const scheme = match[1]!.toLowerCase();
  const rest = match[2]!;
  const [dialect, driver] = scheme.split('+') as [string, string | undefined];
  if (dialect === 'sqlite') {
    if (!rest.startsWith('///') || rest.length <= 3) {
      return fail('sqlite databaseUrl must be sqlite:///relative/path.db or sqlite:////absolute/path.db (three or four slashes).');
    }
    return { uri: `sqlite:${rest}`, dialect: 'sqlite' };
  }
  const family = dialect === 'postgres' ? 'postgresql' : dialect;
  if (family !== 'postgresql' && family !== 'mysql') {
    return fail(`Unsupported database scheme '${scheme}:'; MLflow's server takes postgresql://, mysql:// or sqlite:/// URLs.`);
  }
  let url: URL;
  try {
    url = new URL(`http:${rest}`);
  } catch {
    return fail(`databaseUrl is not a valid ${family} URL (expected ${family}://user:password@host:port/database).`);
  }
  if (!rest.startsWith('//') || url.hostname === '') return fail(`${family} databaseUrl needs a host: ${family}://user@host:port/database.`);
  if (url.pathname.length <= 1) return fail(`${family} databaseUrl needs a database name after the host: ${family}://user@host:port/database.`);
  const chosen = driver ?? (family === 'postgresql' ? 'psycopg2' : 'pymysql');
  const password = url.password === '' ? undefined : decodeURIComponent(url.password);
  return { uri: `${family}+${chosen}:${rest}`, dialect: family, ...(password === undefined ? {} : { secret: password }) };
}
