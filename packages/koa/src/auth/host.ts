import type { Context } from 'koa';
import type { Authenticator, Principal } from './types.js';

/** Reads the host's user from the context; `undefined` when the host did not authenticate it. */
export type HostUserReader = (ctx: Context) => Omit<Principal, 'method'> | undefined;

/** The default reader: `ctx.state.user` with an `id` (string) and optional `role` and `grants`. */
export const readStateUser: HostUserReader = (ctx) => {
  const user = (ctx.state as { user?: unknown }).user;
  if (typeof user !== 'object' || user === null) return undefined;
  const { id, role, grants } = user as Record<string, unknown>;
  if (typeof id !== 'string' || id === '') return undefined;
  const known = role === 'reader' || role === 'editor' || role === 'admin';
  return { id, ...(known && { role }), ...(typeof grants === 'object' && grants !== null && { grants }) } as Omit<Principal, 'method'>;
};

/**
 * Trusts authentication the host already did (its own login, sessions, SSO): the principal is
 * read from `ctx.state` by `read` (default {@link readStateUser}). Mount the router behind the
 * host's auth middleware when using this.
 */
export function hostAuth(read: HostUserReader = readStateUser): Authenticator {
  return (ctx: Context) => {
    const user = read(ctx);
    return user === undefined ? undefined : { ...user, method: 'host' };
  };
}
