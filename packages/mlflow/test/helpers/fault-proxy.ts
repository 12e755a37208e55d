import { connect, createServer } from 'node:net';
import type { Server, Socket } from 'node:net';

/** What the proxy does with one new client connection. */
export type Fault =
  /** Close the connection as soon as it opens: the request never reaches the server. */
  | 'reset'
  /** Forward the request, then cut the connection when the answer starts: the server did it, the client never hears. */
  | 'lose-response'
  /** Answer `503` with `Retry-After` without forwarding. */
  | { readonly status: 503; readonly retryAfter: number };

/**
 * A TCP proxy on 127.0.0.1 in front of a real server, for fault injection: each new connection
 * takes the next queued fault, or is passed through unchanged when the queue is empty.
 */
export class FaultProxy {
  readonly faults: Fault[] = [];
  /** Connections accepted so far. */
  connections = 0;
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();

  private constructor(private readonly target: URL) {
    this.server = createServer((client) => this.handle(client));
  }

  /** Starts a proxy to `targetUri` (`http://host:port`). */
  static async start(targetUri: string): Promise<FaultProxy> {
    const proxy = new FaultProxy(new URL(targetUri));
    await new Promise<void>((resolve) => proxy.server.listen(0, '127.0.0.1', resolve));
    return proxy;
  }

  /** `http://127.0.0.1:<port>` of the proxy. */
  get uri(): string {
    const address = this.server.address();
    return `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}`;
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private track(socket: Socket): Socket {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    return socket;
  }

  private handle(client: Socket): void {
    this.connections += 1;
    this.track(client);
    const fault = this.faults.shift();
    if (fault === 'reset') {
      client.resetAndDestroy();
      return;
    }
    if (typeof fault === 'object') {
      client.once('data', () => {
        client.end(`HTTP/1.1 503 Service Unavailable\r\nRetry-After: ${fault.retryAfter}\r\nContent-Type: text/plain\r\nContent-Length: 4\r\nConnection: close\r\n\r\nbusy`);
      });
      return;
    }
    const upstream = this.track(connect(Number(this.target.port), this.target.hostname));
    client.pipe(upstream);
    if (fault === 'lose-response') {
      upstream.once('data', () => {
        client.resetAndDestroy();
        upstream.destroy();
      });
    } else {
      upstream.pipe(client);
    }
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  }
}
