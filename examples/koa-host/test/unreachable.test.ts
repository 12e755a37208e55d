import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
// Registers the MLflow backend for http:// tracking URIs.
import '@logbook/mlflow';
import { startHost, unique } from './support.js';

/** A loopback port with nothing listening on it (bound, then released). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('example host: MLflow backend unreachable', () => {
  it('answers 503 with Retry-After, and /health says unreachable', async () => {
    const uri = `http://127.0.0.1:${await closedPort()}`;
    const reported: number[] = [];
    const t = await startHost({
      config: { trackingUri: uri, http: { maxRetries: 0, deadlineMs: 5000, requestTimeoutMs: 2000 } },
      onServerError: (_error, info) => reported.push(info.status),
    });
    try {
      const res = await t.api('/experiments', { body: { name: unique('down') } });
      expect(res.status).toBe(503);
      expect(res.body.error_code).toBe('TEMPORARILY_UNAVAILABLE');
      expect(res.headers.get('retry-after')).toBe('5');
      expect(JSON.stringify(res.body)).not.toContain(uri);
      expect(reported).toEqual([503]);
      const health = await t.api('/health', { key: null });
      expect(health.status).toBe(503);
      expect(health.body.backend.reachable).toBe(false);
    } finally {
      await t.close();
    }
  });
});
