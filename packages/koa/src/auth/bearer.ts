import type { Context } from 'koa';
import { LogbookError } from '@logbook/core';
import type { Authenticator, Principal } from './types.js';

/** Checks a bearer token; returns who it belongs to, or `undefined` when it is not valid. */
export type TokenVerifier = (token: string, ctx: Context) => Promise<Omit<Principal, 'method'> | undefined> | Omit<Principal, 'method'> | undefined;

/**
 * Authenticates `Authorization: Bearer <token>` with a verifier the host supplies (its session
 * store, a JWT library, an OIDC introspection call). A token the verifier refuses, or a verifier
 * that throws, is 401: the token is never logged.
 */
export function bearerAuth(verify: TokenVerifier): Authenticator {
  return async (ctx: Context) => {
    const header = ctx.get('authorization');
    const match = /^Bearer[ ]+(\S+)\s*$/i.exec(header);
    if (match === null) return undefined;
    let user: Omit<Principal, 'method'> | undefined;
    try {
      user = await verify(match[1]!, ctx);
    } catch {
      user = undefined;
    }
    if (user === undefined) throw new LogbookError('UNAUTHENTICATED', '[koa] Invalid or expired bearer token.');
    return { ...user, method: 'bearer' };
  };
}
