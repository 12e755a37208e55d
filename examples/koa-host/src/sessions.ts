import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Role } from '@logbook/koa';

/** What a session token says about its holder. */
export interface SessionUser {
  readonly id: string;
  readonly role: Role;
}

/**
 * The host's own session tokens: `base64url(payload).base64url(HMAC-SHA256)`, expiring. Stands in
 * for whatever a real host uses (its session store, JWTs, SSO); Logbook only sees the verifier.
 */
export class SessionTokens {
  readonly #secret: Buffer;
  readonly #ttlMs: number;

  constructor(secret: Buffer = randomBytes(32), ttlMs = 3_600_000) {
    this.#secret = secret;
    this.#ttlMs = ttlMs;
  }

  issue(user: SessionUser, now = Date.now()): string {
    const payload = Buffer.from(JSON.stringify({ sub: user.id, role: user.role, exp: now + this.#ttlMs })).toString('base64url');
    return `${payload}.${this.#sign(payload)}`;
  }

  /** The user of a valid, unexpired token; `undefined` for anything else (forged, expired, garbage). */
  verify(token: string, now = Date.now()): SessionUser | undefined {
    const [payload, signature, extra] = token.split('.');
    if (payload === undefined || signature === undefined || extra !== undefined) return undefined;
    const expected = Buffer.from(this.#sign(payload));
    const given = Buffer.from(signature);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return undefined;
    try {
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { sub?: unknown; role?: unknown; exp?: unknown };
      if (typeof claims.sub !== 'string' || typeof claims.exp !== 'number' || claims.exp <= now) return undefined;
      if (claims.role !== 'reader' && claims.role !== 'editor' && claims.role !== 'admin') return undefined;
      return { id: claims.sub, role: claims.role };
    } catch {
      return undefined;
    }
  }

  #sign(payload: string): string {
    return createHmac('sha256', this.#secret).update(payload).digest('base64url');
  }
}
