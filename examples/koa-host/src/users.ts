import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';
import type { Role } from '@logbook/koa';

/** A user of the host app, as its login form knows it. */
export interface HostUser {
  readonly username: string;
  readonly password: string;
  readonly role: Role;
}

interface StoredUser {
  readonly role: Role;
  readonly salt: Buffer;
  readonly hash: Buffer;
}

/** The host's user directory: passwords kept as scrypt hashes, checked in constant time. */
export class UserDirectory {
  readonly #users = new Map<string, StoredUser>();
  readonly #decoy = { role: 'reader' as Role, salt: randomBytes(16), hash: randomBytes(32) };

  constructor(users: readonly HostUser[]) {
    for (const u of users) {
      const salt = randomBytes(16);
      this.#users.set(u.username, { role: u.role, salt, hash: scryptSync(u.password, salt, 32) });
    }
  }

  /** The role of a user whose password matches; `undefined` otherwise (same cost either way). */
  check(username: string, password: string): Role | undefined {
    const user = this.#users.get(username);
    const stored = user ?? this.#decoy;
    const ok = timingSafeEqual(scryptSync(password, stored.salt, 32), stored.hash);
    return user !== undefined && ok ? user.role : undefined;
  }
}
