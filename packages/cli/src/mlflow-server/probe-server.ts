import type { CredentialsConfig } from '@logbook/core';

/** What `logbook mlflow-server status` reports (also its `--json` output). */
export interface ServerProbe {
  /** The tracking URI, without any user or password in it. */
  readonly uri: string;
  /** Something answered HTTP at that address. */
  readonly reachable: boolean;
  /** `/health` answered 200. */
  readonly healthy: boolean;
  /** `/version` body (under basic-auth it needs the configured credentials). */
  readonly version?: string;
  /** Round trip of the `/health` request, milliseconds. */
  readonly latencyMs?: number;
  /** Why it is not healthy: the connection error or the HTTP status. */
  readonly error?: string;
}

/** The `Authorization` header the configured credentials give, if any. */
function authorization(credentials: CredentialsConfig): Record<string, string> {
  if (credentials.username !== undefined && credentials.password !== undefined) {
    return { authorization: `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}` };
  }
  return credentials.token === undefined ? {} : { authorization: `Bearer ${credentials.token}` };
}

function describeFailure(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  if (cause?.code !== undefined) return cause.code;
  return error instanceof Error ? (error.name === 'TimeoutError' ? 'timed out' : error.message) : String(error);
}

/** Strips user and password from a URI (they are never printed) and any trailing slash. */
export function displayUri(uri: URL): string {
  const copy = new URL(uri.href);
  copy.username = '';
  copy.password = '';
  return copy.href.replace(/\/+$/, '');
}

/**
 * Probes a tracking server: `GET /health` (timed) and, when healthy, `GET /version` with the
 * configured credentials. Never throws: an unreachable server is a result.
 */
export async function probeServer(base: URL, credentials: CredentialsConfig, timeoutMs: number): Promise<ServerProbe> {
  // fetch refuses URLs with credentials in them; the configured ones go in a header.
  const uri = displayUri(base);
  const started = performance.now();
  let health: Response;
  try {
    health = await fetch(`${uri}/health`, { signal: AbortSignal.timeout(timeoutMs) });
    await health.text();
  } catch (error) {
    return { uri, reachable: false, healthy: false, error: describeFailure(error) };
  }
  const latencyMs = Math.round((performance.now() - started) * 10) / 10;
  if (!health.ok) return { uri, reachable: true, healthy: false, latencyMs, error: `/health answered HTTP ${health.status}` };
  try {
    const response = await fetch(`${uri}/version`, { headers: authorization(credentials), signal: AbortSignal.timeout(timeoutMs) });
    const body = (await response.text()).trim();
    return response.ok ? { uri, reachable: true, healthy: true, version: body, latencyMs } : { uri, reachable: true, healthy: true, latencyMs };
  } catch {
    return { uri, reachable: true, healthy: true, latencyMs };
  }
}
