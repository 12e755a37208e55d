// An HTTP proxy on 127.0.0.1 in front of moto, for fault injection only: a rule sees each request
// and may answer it with an S3 error instead of forwarding it, or cut a response off midway.
import { createServer, request } from 'node:http';
import type { IncomingMessage, Server } from 'node:http';

/** What happens to one request. */
export type Decision =
  | 'pass'
  /** Answer with this status and an S3 XML error of this code; the request never reaches moto. */
  | { readonly status: number; readonly code: string }
  /** Forward, then drop the connection after this many body bytes of the answer. */
  | { readonly cutAfterBytes: number };

export class S3FaultProxy {
  /** Every request seen: method and URL (path + query). */
  readonly seen: { method: string; url: string }[] = [];
  rule: (req: IncomingMessage) => Decision = () => 'pass';
  private readonly server: Server;

  private constructor(private readonly target: URL) {
    this.server = createServer((req, res) => {
      this.seen.push({ method: req.method ?? '', url: req.url ?? '' });
      const decision = this.rule(req);
      if (typeof decision === 'object' && 'status' in decision) {
        req.resume();
        req.on('end', () => {
          res.writeHead(decision.status, { 'content-type': 'application/xml' });
          res.end(`<?xml version="1.0" encoding="UTF-8"?><Error><Code>${decision.code}</Code><Message>injected</Message></Error>`);
        });
        return;
      }
      const upstream = request({ host: this.target.hostname, port: this.target.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        if (decision === 'pass') {
          answer.pipe(res);
          return;
        }
        let sent = 0;
        answer.on('data', (chunk: Buffer) => {
          const room = decision.cutAfterBytes - sent;
          if (room > 0) res.write(chunk.subarray(0, room));
          sent += chunk.length;
          if (sent >= decision.cutAfterBytes) {
            answer.destroy();
            res.socket?.destroy();
          }
        });
      });
      upstream.on('error', () => res.socket?.destroy());
      req.pipe(upstream);
    });
  }

  static async start(targetUri: string): Promise<S3FaultProxy> {
    const proxy = new S3FaultProxy(new URL(targetUri));
    await new Promise<void>((resolve) => proxy.server.listen(0, '127.0.0.1', resolve));
    return proxy;
  }

  /** `http://127.0.0.1:<port>` */
  get uri(): string {
    const address = this.server.address();
    return `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}`;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
