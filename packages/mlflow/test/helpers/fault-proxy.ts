import { createServer } from 'node:net';
import type { Socket } from 'node:net';
import { LoopbackProxy } from './loopback-proxy.js';

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
export class FaultProxy extends LoopbackProxy {
  readonly faults: Fault[] = [];

  private constructor(target: URL) {
    super(createServer(), target);
    this.server.on('connection', (client: Socket) => this.handle(client));
  }

  /** Starts a proxy to `targetUri` (`http://host:port`). */
  static async start(targetUri: string): Promise<FaultProxy> {
    const proxy = new FaultProxy(new URL(targetUri));
    await proxy.listen();
    return proxy;
  }

  /** `http://127.0.0.1:<port>` of the proxy. */
  get uri(): string {
    return this.origin('http');
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
    const upstream = this.connectUpstream(client);
    if (fault === 'lose-response') {
      upstream.once('data', () => {
        client.resetAndDestroy();
        upstream.destroy();
      });
    } else {
      upstream.pipe(client);
    }
  }
}
