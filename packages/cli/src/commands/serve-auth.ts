import { createHash, timingSafeEqual } from 'node:crypto';
import type { AuthOptions } from '@logbook/koa/mlflow-api';
import { basicAuth, bearerAuth } from '@logbook/koa/mlflow-api';
import { CliError, ExitCode } from '../exit-codes.js';

/** Server-side credentials of `logbook serve`: flags, else these variables (never MLflow's client ones). */
export const SERVE_BASIC_AUTH_ENV = 'LOGBOOK_SERVE_BASIC_AUTH';
export const SERVE_BEARER_TOKEN_ENV = 'LOGBOOK_SERVE_BEARER_TOKEN';

/** The auth flags of `logbook serve`. */
export interface ServeAuthFlags {
  readonly basicAuth?: string;
  readonly bearerToken?: string;
}

/** Compares secrets in constant time (digests first, so lengths do not leak either). */
function sameSecret(given: string, expected: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();
  return timingSafeEqual(digest(given), digest(expected));
}

function pick(flag: string | undefined, env: NodeJS.ProcessEnv, name: string): string | undefined {
  if (flag !== undefined) return flag;
  const value = env[name];
  return value === undefined || value === '' ? undefined : value;
}

/**
 * Authentication of `logbook serve`. `--basic-auth user:pass` (or LOGBOOK_SERVE_BASIC_AUTH) checks
 * what MLflow's client sends for MLFLOW_TRACKING_USERNAME/PASSWORD; `--bearer-token` (or
 * LOGBOOK_SERVE_BEARER_TOKEN) what it sends for MLFLOW_TRACKING_TOKEN. Either one closes the API to
 * everyone else (401); with neither it is open, as MLflow's own server is without its auth app.
 */
export function serveAuthOf(flags: ServeAuthFlags, env: NodeJS.ProcessEnv): { readonly auth: AuthOptions; readonly closed: boolean } {
  const basic = pick(flags.basicAuth, env, SERVE_BASIC_AUTH_ENV);
  const token = pick(flags.bearerToken, env, SERVE_BEARER_TOKEN_ENV);
  const authenticators = [];
  if (basic !== undefined) {
    const colon = basic.indexOf(':');
    if (colon < 1 || colon === basic.length - 1) {
      throw new CliError(`[cli] --basic-auth (or ${SERVE_BASIC_AUTH_ENV}) must be 'user:password' with both parts non-empty.`, ExitCode.USAGE);
    }
    const user = basic.slice(0, colon);
    const password = basic.slice(colon + 1);
    // Both compared, always: which half was wrong is not told.
    authenticators.push(basicAuth((u, p) => (sameSecret(u, user) && sameSecret(p, password) ? { id: user, role: 'admin' } : undefined)));
  }
  if (token !== undefined) {
    if (/\s/.test(token)) throw new CliError(`[cli] --bearer-token (or ${SERVE_BEARER_TOKEN_ENV}) must not contain white space.`, ExitCode.USAGE);
    authenticators.push(bearerAuth((t) => (sameSecret(t, token) ? { id: 'token', role: 'admin' } : undefined)));
  }
  if (authenticators.length === 0) return { auth: { authenticators, anonymousRole: 'editor' }, closed: false };
  return { auth: { authenticators }, closed: true };
}
