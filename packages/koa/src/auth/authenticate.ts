import type { Context, Next } from 'koa';
import { LogbookError } from '@logbook/core';
import type { AuthOptions, Principal } from './types.js';

/** Where the authenticated principal is kept on `ctx.state`. */
export const PRINCIPAL_KEY = 'logbookPrincipal';

/** The principal of an authenticated request, or `undefined` before authentication. */
export function principalOf(ctx: Context): Principal | undefined {
  return (ctx.state as Record<string, unknown>)[PRINCIPAL_KEY] as Principal | undefined;
}

/**
 * Middleware that runs the authenticators in order and stores the principal on `ctx.state`.
 * No accepted credentials and no `anonymousRole` → 401 UNAUTHENTICATED.
 * @param missing - message of that 401 (the MLflow API names MLflow's client variables)
 */
export function authenticate(options: AuthOptions, missing = '[koa] Authentication required: send an API key (X-API-Key) or a bearer token.') {
  return async function logbookAuthenticate(ctx: Context, next: Next): Promise<void> {
    let principal: Principal | undefined;
    for (const authenticator of options.authenticators) {
      principal = await authenticator(ctx);
      if (principal !== undefined) break;
    }
    if (principal === undefined && options.anonymousRole !== undefined) {
      principal = { id: 'anonymous', role: options.anonymousRole, method: 'anonymous' };
    }
    if (principal === undefined) {
      throw new LogbookError('UNAUTHENTICATED', missing);
    }
    (ctx.state as Record<string, unknown>)[PRINCIPAL_KEY] = principal;
    await next();
  };
}
