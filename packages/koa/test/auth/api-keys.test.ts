import { describe, expect, it } from 'vitest';
import type { Context } from 'koa';
import { LogbookError } from '@logbook/core';
import { apiKeyAuth, generateApiKey, hashApiKey, verifyApiKey } from '../../src/index.js';

/** The one thing an authenticator reads from a request: a header. */
const request = (headers: Record<string, string>) => ({ get: (name: string) => headers[name.toLowerCase()] ?? '' }) as unknown as Context;

describe('hashApiKey / verifyApiKey', () => {
  it('stores only a hash, and verifies the key against sha256 and scrypt hashes', async () => {
    const key = generateApiKey('ci');
    expect(key).toMatch(/^ci\.[A-Za-z0-9_-]{32}$/);
    for (const algorithm of ['sha256', 'scrypt'] as const) {
      const hash = await hashApiKey(key, algorithm, 1024);
      expect(hash.startsWith(`${algorithm}:`)).toBe(true);
      expect(hash).not.toContain(key.split('.')[1]);
      expect(await verifyApiKey(key, hash)).toBe(true);
      expect(await verifyApiKey(`${key}x`, hash)).toBe(false);
    }
  });

  it('salts scrypt hashes', async () => {
    const key = generateApiKey('ci');
    expect(await hashApiKey(key, 'scrypt', 1024)).not.toBe(await hashApiKey(key, 'scrypt', 1024));
  });
});

describe('apiKeyAuth', () => {
  it('returns the principal of a valid key, undefined without one, and 401 for a wrong one', async () => {
    const key = generateApiKey('ci');
    const auth = apiKeyAuth({ keys: [{ id: 'ci', hash: await hashApiKey(key, 'scrypt', 1024), role: 'editor', grants: { models: { m: 'admin' } } }] });
    expect(await auth(request({ 'x-api-key': key }))).toEqual({ id: 'key:ci', method: 'api-key', role: 'editor', grants: { models: { m: 'admin' } } });
    // Second call is served from the verified-key cache: same answer.
    expect(await auth(request({ 'x-api-key': key }))).toMatchObject({ id: 'key:ci' });
    expect(await auth(request({}))).toBeUndefined();
    await expect(auth(request({ 'x-api-key': `${key.slice(0, -2)}zz` }))).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    await expect(auth(request({ 'x-api-key': 'other.secret' }))).rejects.toBeInstanceOf(LogbookError);
  });

  it('fails fast on a record without a hash it understands', () => {
    expect(() => apiKeyAuth({ keys: [{ id: 'ci', hash: 'plaintext-key' }] })).toThrow(/sha256: or scrypt:/);
    expect(() => apiKeyAuth({ keys: [{ id: 'bad id', hash: 'sha256:00' }] })).toThrow(/must match/);
  });
});
