import { connect, createServer } from 'node:net';
import type { Server, Socket } from 'node:net';

/**
 * A TCP proxy on 127.0.0.1 in front of a real server that can be switched off and on, for fault
 * injection: `down()` stops listening and cuts every connection (clients get ECONNREFUSED, as from
 * a stopped server), `up()` listens again on the same port.
 */
export class SwitchProxy {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  private port = 0;

  private constructor(private readonly target: URL) {}

  /** Starts a proxy to `targetUri` (`http://host:port`), up unless `{ up: false }`. */
  static async start(targetUri: string, options: { readonly up?: boolean } = {}): Promise<SwitchProxy> {
    const proxy = new SwitchProxy(new URL(targetUri));
    await proxy.up();
    if (options.up === false) await proxy.down();
    return proxy;
  }

  /** `http://127.0.0.1:<port>`: the same whether up or down. */
  get uri(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get isUp(): boolean {
    return this.server !== undefined;
  }

  async up(): Promise<void> {
    if (this.server !== undefined) return;
    const server = createServer((client) => this.pipe(client));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    const address = server.address();
    if (typeof address === 'object' && address !== null) this.port = address.port;
    this.server = server;
  }

  async down(): Promise<void> {
    const server = this.server;
    if (server === undefined) return;
    this.server = undefined;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const s of this.sockets) s.destroy();
    await closed;
  }

  close(): Promise<void> {
    return this.down();
  }

  private track(socket: Socket): Socket {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    return socket;
  }

  private pipe(client: Socket): void {
    this.track(client);
    const upstream = this.track(connect(Number(this.target.port), this.target.hostname));
    client.pipe(upstream);
    upstream.pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  }
}
