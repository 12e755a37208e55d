import type { Context } from 'koa';

/** Roles, in increasing order of power. */
export type Role = 'reader' | 'editor' | 'admin';

/** Rank of each role: a principal may do what its role's rank or a lower one allows. */
export const ROLE_RANK: Readonly<Record<Role, number>> = { reader: 1, editor: 2, admin: 3 };

/** Roles on single experiments or models, on top of (never below) the principal's global role. */
export interface Grants {
  /** Experiment id → role on that experiment and its runs. */
  readonly experiments?: Readonly<Record<string, Role>>;
  /** Registered model name → role on that model and its versions. */
  readonly models?: Readonly<Record<string, Role>>;
}

/** Who is calling: the result of authentication. Never holds a credential. */
export interface Principal {
  /** A stable user or key id, written to the audit log. */
  readonly id: string;
  /** Global role; absent means access only through {@link Grants}. */
  readonly role?: Role;
  readonly grants?: Grants;
  /** Which authenticator accepted the request, e.g. `api-key`, `bearer`, `host`. */
  readonly method: string;
}

/**
 * One way to authenticate a request. Returns the principal when the request carries credentials
 * this authenticator accepts, `undefined` when it carries none of its kind, and throws a
 * `LogbookError('UNAUTHENTICATED')` when it carries credentials of its kind that are invalid
 * (so a forged token is refused instead of falling through to the next authenticator).
 */
export type Authenticator = (ctx: Context) => Promise<Principal | undefined> | Principal | undefined;

/** Authentication settings of the router. */
export interface AuthOptions {
  /** Tried in order; the first that returns a principal wins. */
  readonly authenticators: readonly Authenticator[];
  /**
   * Role given to requests no authenticator accepted. Absent (the default) means such requests
   * get 401. Set it only for local development or benchmarks.
   */
  readonly anonymousRole?: Role;
}
