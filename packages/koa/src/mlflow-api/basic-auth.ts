import type { Context } from 'koa';
import { LogbookError } from '@logbook/core';
import type { Authenticator, Principal } from '../auth/types.js';

/** Checks a user name and password; returns who they belong to, or `undefined` when refused. */
export type PasswordVerifier = (username: string, password: string, ctx: Context) => Promise<Omit<Principal, 'method'> | undefined> | Omit<Principal, 'method'> | undefined;

/**
 * Authenticates `Authorization: Basic …`, as MLflow's Python client sends it from
 * `MLFLOW_TRACKING_USERNAME` / `MLFLOW_TRACKING_PASSWORD`. Refused credentials are 401; the
 * password is never logged. (`MLFLOW_TRACKING_TOKEN` arrives as a bearer token: use `bearerAuth`.)
 */
export function basicAuth(verify: PasswordVerifier): Authenticator {
  return async (ctx: Context) => {
    const match = /^Basic[ ]+([A-Za-z0-9+/=]+)\s*$/i.exec(ctx.get('authorization'));
    if (match === null) return undefined;
    const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    let user: Omit<Principal, 'method'> | undefined;
    try {
      user = colon < 0 ? undefined : await verify(decoded.slice(0, colon), decoded.slice(colon + 1), ctx);
    } catch {
      user = undefined;
    }
    if (user === undefined) throw new LogbookError('UNAUTHENTICATED', '[koa] Invalid user name or password.');
    return { ...user, method: 'basic' };
  };
}
