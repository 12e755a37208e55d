// An MLflow 500 that is its database being busy is retried; any other INTERNAL_ERROR is final.
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { HttpTransport } from '../../src/http/transport.js';

const fast = { maxRetries: 3, backoffFactor: 0, backoffJitter: 0, deadlineMs: 5_000 };
let server: Server | undefined;

/** A server that answers the first request with `first` (a 500 JSON error), then `{}`; counts requests. */
async function answering(first: { error_code: string; message: string }): Promise<{ url: string; requests: () => number }> {
  let n = 0;
  server = createServer((req, res) => {
    req.resume();
    n++;
    res.writeHead(n === 1 ? 500 : 200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(n === 1 ? first : {}));
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests: () => n };
}

afterEach(async () => {
  await new Promise((resolve) => server?.close(resolve));
  server = undefined;
});

describe('HttpTransport and a busy MLflow database', () => {
  it('retries a 500 whose message is the connection pool running out, and succeeds', async () => {
    const s = await answering({ error_code: 'INTERNAL_ERROR', message: 'QueuePool limit of size 5 overflow 10 reached, connection timed out, timeout 30.00' });
    const transport = new HttpTransport({ trackingUri: s.url, http: fast });
    await expect(transport.call('POST', '/api/2.0/mlflow/runs/log-batch', { json: { run_id: 'r' } })).resolves.toEqual({});
    expect(s.requests()).toBe(2);
    await transport.close();
  });

  it('does not retry another INTERNAL_ERROR: the server answered about the request', async () => {
    const s = await answering({ error_code: 'INTERNAL_ERROR', message: "Invalid Model Version stage: Prod. Value must be one of 'None', 'Staging'" });
    const transport = new HttpTransport({ trackingUri: s.url, http: fast });
    await expect(transport.call('POST', '/api/2.0/mlflow/model-versions/transition-stage', { json: {} })).rejects.toMatchObject({ code: 'INTERNAL_ERROR' });
    expect(s.requests()).toBe(1);
    await transport.close();
  });
});
