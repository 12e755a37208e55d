import { connect } from 'node:net';
import type { Server, Socket } from 'node:net';

/**
 * What the test proxies share: a server on 127.0.0.1:0 in front of a real server, with a count of
 * accepted connections and every socket destroyed on close.
 */
export abstract class LoopbackProxy {
  /** Connections accepted so far. */
  connections = 0;
  private readonly sockets = new Set<Socket>();

  protected constructor(
    protected readonly server: Server,
    private readonly target: URL,
  ) {}

  /** Scheme, host and port of the proxy, e.g. `http://127.0.0.1:41234`. */
  protected origin(scheme: 'http' | 'https'): string {
    const address = this.server.address();
    return `${scheme}://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}`;
  }

  protected listen(): Promise<void> {
    return new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  protected track(socket: Socket): Socket {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    return socket;
  }

  /** Opens a TCP connection to the target and sends it what `client` sends; closing either closes both. */
  protected connectUpstream(client: Socket): Socket {
    const upstream = this.track(connect(Number(this.target.port), this.target.hostname));
    client.pipe(upstream);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
    return upstream;
  }
}
