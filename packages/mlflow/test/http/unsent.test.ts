// Whether a failed call may have reached the server: `unsent` is what lets a caller undo what it
// prepared for the call (model bytes uploaded for a version) without risking data a server holds.
import { createServer } from 'node:net';
import type { AddressInfo, Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { HttpTransport } from '../../src/http/transport.js';

const fast = { maxRetries: 2, backoffFactor: 0, backoffJitter: 0, deadlineMs: 5_000 };
let servers: Server[] = [];

async function listen(onConnection: (socket: import('node:net').Socket) => void): Promise<number> {
  const server = createServer(onConnection);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

/** A port nothing listens on (a server opened and closed again). */
async function closedPort(): Promise<number> {
  const port = await listen(() => undefined);
  const server = servers.pop()!;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

afterEach(async () => {
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  servers = [];
});

describe('HttpTransport: unsent', () => {
  it('marks a call whose every attempt was refused as unsent', async () => {
    const transport = new HttpTransport({ trackingUri: `http://127.0.0.1:${await closedPort()}`, http: fast });
    await expect(transport.call('POST', '/api/2.0/mlflow/model-versions/create', { json: { name: 'm' } })).rejects.toMatchObject({
      code: 'TEMPORARILY_UNAVAILABLE',
      unsent: true,
    });
    await transport.close();
  });

  it('does not when an attempt reached the server: a connection cut after the request arrived', async () => {
    const port = await listen((socket) => socket.once('data', () => socket.destroy()));
    const transport = new HttpTransport({ trackingUri: `http://127.0.0.1:${port}`, http: fast });
    await expect(transport.call('POST', '/api/2.0/mlflow/model-versions/create', { json: { name: 'm' } })).rejects.toMatchObject({
      code: 'TEMPORARILY_UNAVAILABLE',
      unsent: false,
    });
    await transport.close();
  });

  it('does not when an earlier attempt got an answer (a 503) and the last was refused', async () => {
    let answered = 0;
    const port = await listen((socket) =>
      socket.once('data', () => {
        answered++;
        socket.end('HTTP/1.1 503 Service Unavailable\r\ncontent-length: 0\r\nconnection: close\r\n\r\n');
        // The server goes away after its one answer.
        for (const s of servers) s.close();
      }),
    );
    const transport = new HttpTransport({ trackingUri: `http://127.0.0.1:${port}`, http: fast });
    await expect(transport.call('POST', '/api/2.0/mlflow/model-versions/create', { json: { name: 'm' } })).rejects.toMatchObject({ unsent: false });
    expect(answered).toBe(1);
    await transport.close();
  });
});
