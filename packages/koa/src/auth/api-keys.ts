import { createHash, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import type { Context } from 'koa';
import { LogbookError } from '@logbook/core';
import type { Authenticator, Grants, Principal, Role } from './types.js';

/** A stored API key: never the key itself, only its hash. */
export interface ApiKeyRecord {
  /** The key's id: the part of the key before the first `.`, and the principal id in audit entries. */
  readonly id: string;
  /** From {@link hashApiKey}: `sha256:<hex>` or `scrypt:<N>:<salt b64>:<hash b64>`. */
  readonly hash: string;
  readonly role?: Role;
  readonly grants?: Grants;
}

/** Options of {@link apiKeyAuth}. */
export interface ApiKeyAuthOptions {
  readonly keys: readonly ApiKeyRecord[];
  /** Header that carries the key. @default 'x-api-key' */
  readonly header?: string;
}

const SCRYPT_KEYLEN = 32;
const ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

function scryptAsync(secret: string, salt: Buffer, n: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(secret, salt, SCRYPT_KEYLEN, { N: n, maxmem: 256 * n * 8 }, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

/** A new random API key `<id>.<secret>` (192 random bits). Show it once; store only its hash. */
export function generateApiKey(id: string): string {
  if (!ID_PATTERN.test(id)) throw new LogbookError('INVALID_CONFIGURATION', `[koa] API key id '${id}' must match ${ID_PATTERN}.`, { field: 'id' });
  return `${id}.${randomBytes(24).toString('base64url')}`;
}

/**
 * Hashes an API key for storage. `scrypt` (the default) is slow on purpose; `sha256` suits long
 * random keys such as those from {@link generateApiKey}.
 */
export async function hashApiKey(key: string, algorithm: 'scrypt' | 'sha256' = 'scrypt', n = 16384): Promise<string> {
  if (algorithm === 'sha256') return `sha256:${createHash('sha256').update(key).digest('hex')}`;
  const salt = randomBytes(16);
  const hash = await scryptAsync(key, salt, n);
  return `scrypt:${n}:${salt.toString('base64')}:${hash.toString('base64')}`;
}

/** Compares a presented key with a stored hash in constant time (for equal-length digests). */
export async function verifyApiKey(key: string, stored: string): Promise<boolean> {
  const parts = stored.split(':');
  let expected: Buffer;
  let actual: Buffer;
  if (parts[0] === 'sha256' && parts.length === 2) {
    expected = Buffer.from(parts[1]!, 'hex');
    actual = createHash('sha256').update(key).digest();
  } else if (parts[0] === 'scrypt' && parts.length === 4) {
    expected = Buffer.from(parts[3]!, 'base64');
    actual = await scryptAsync(key, Buffer.from(parts[2]!, 'base64'), Number(parts[1]));
  } else {
    throw new LogbookError('INVALID_CONFIGURATION', '[koa] Unknown API key hash format: expected sha256:… or scrypt:….');
  }
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

/**
 * Authenticates requests that carry an API key in a header (`X-API-Key` by default). Keys are
 * looked up by their id prefix and compared by hash in constant time; verified keys are cached
 * by their SHA-256 so scrypt runs once per key, not once per request.
 */
export function apiKeyAuth(options: ApiKeyAuthOptions): Authenticator {
  const header = (options.header ?? 'x-api-key').toLowerCase();
  const byId = new Map<string, ApiKeyRecord>();
  for (const record of options.keys) {
    if (!ID_PATTERN.test(record.id)) throw new LogbookError('INVALID_CONFIGURATION', `[koa] API key id '${record.id}' must match ${ID_PATTERN}.`, { field: 'keys.id' });
    if (!/^(sha256|scrypt):/.test(record.hash)) throw new LogbookError('INVALID_CONFIGURATION', `[koa] API key '${record.id}' has no sha256: or scrypt: hash.`, { field: 'keys.hash' });
    byId.set(record.id, record);
  }
  const verified = new Map<string, Principal>();
  // Unknown ids are checked against a decoy hashed like the stored keys, so the time taken does
  // not tell whether an id exists.
  const scryptRecord = options.keys.find((k) => k.hash.startsWith('scrypt:'));
  let decoy: Promise<string> | undefined;
  const decoyHash = () =>
    (decoy ??=
      scryptRecord === undefined
        ? Promise.resolve(`sha256:${createHash('sha256').update(randomBytes(16)).digest('hex')}`)
        : hashApiKey(randomBytes(16).toString('hex'), 'scrypt', Number(scryptRecord.hash.split(':')[1])));

  return async (ctx: Context) => {
    const key = ctx.get(header);
    if (key === '') return undefined;
    const digest = createHash('sha256').update(key).digest('hex');
    const cached = verified.get(digest);
    if (cached !== undefined) return cached;
    const id = key.slice(0, Math.max(0, key.indexOf('.')));
    const record = byId.get(id);
    const ok = await verifyApiKey(key, record?.hash ?? (await decoyHash()));
    if (record === undefined || !ok) throw new LogbookError('UNAUTHENTICATED', '[koa] Invalid API key.');
    const principal: Principal = { id: `key:${record.id}`, method: 'api-key', ...(record.role && { role: record.role }), ...(record.grants && { grants: record.grants }) };
    if (verified.size >= 1000) verified.clear();
    verified.set(digest, principal);
    return principal;
  };
}
