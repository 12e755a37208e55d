// An HTTP-aware proxy on 127.0.0.1 in front of a real MLflow server, for fault injection only.
// Faults act PER REQUEST, keep-alive or not: a client that keeps its connections open meets them
// as surely as one that opens a connection per call (the TCP-level FaultProxy cannot do that).
import { Agent, createServer, request } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';

/** What the proxy does with one request. */
export type HttpFault =
  /** Drop the client's socket as soon as the request head arrived: the body is cut off, nothing reaches the server. */
  | 'drop-request'
  /** Forward the request, then drop the client's socket half-way through the answer: the server did it, the client never hears. */
  | 'drop-response'
  /** Answer `503` without forwarding, with `Retry-After: <retryAfter>` when given. */
  | { readonly status: 503; readonly retryAfter?: number };

/** A fault met by a request: what was done, to which call. */
export interface MetFault {
  readonly fault: HttpFault;
  readonly method: string;
  readonly url: string;
}

/** Decides the fault of the `index`-th request (0-based); `'pass'` forwards it unchanged. */
export type FaultRule = (req: IncomingMessage, index: number) => HttpFault | 'pass';

/** A short name of a fault for counts and logs: `drop-request`, `drop-response`, `503`, `503+retry-after`. */
export function faultName(fault: HttpFault): string {
  if (typeof fault === 'string') return fault;
  return fault.retryAfter === undefined ? '503' : '503+retry-after';
}

export class HttpFaultProxy {
  /** Requests seen so far. */
  requests = 0;
  /** Every fault applied, in order. */
  readonly met: MetFault[] = [];
  /** Faults given to the next requests, one each, before `rule` is asked. */
  readonly queue: HttpFault[] = [];
  rule: FaultRule = () => 'pass';
  private readonly server: Server;
  private readonly upstreamAgent = new Agent({ keepAlive: true });

  private constructor(private readonly target: URL) {
    this.server = createServer((req, res) => this.handle(req, res));
    // Keep-alive towards the client, as a real server does.
    this.server.keepAliveTimeout = 30_000;
  }

  /** Starts a proxy to `targetUri` (`http://host:port`). */
  static async start(targetUri: string): Promise<HttpFaultProxy> {
    const proxy = new HttpFaultProxy(new URL(targetUri));
    await new Promise<void>((resolve) => proxy.server.listen(0, '127.0.0.1', resolve));
    return proxy;
  }

  /** `http://127.0.0.1:<port>` of the proxy. */
  get uri(): string {
    const address = this.server.address();
    return `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}`;
  }

  /** Counts of met faults by {@link faultName}. */
  counts(): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const { fault } of this.met) counts[faultName(fault)] = (counts[faultName(fault)] ?? 0) + 1;
    return counts;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    this.upstreamAgent.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const index = this.requests++;
    const decision = this.queue.shift() ?? this.rule(req, index);
    if (decision !== 'pass') this.met.push({ fault: decision, method: req.method ?? '', url: req.url ?? '' });
    if (decision === 'drop-request') {
      req.socket.destroy();
      return;
    }
    if (typeof decision === 'object') {
      // Read the whole body first: answering early would race the client's upload.
      req.resume();
      req.on('end', () => {
        res.writeHead(503, { 'content-type': 'text/plain', ...(decision.retryAfter === undefined ? {} : { 'retry-after': String(decision.retryAfter) }) });
        res.end('busy');
      });
      return;
    }
    const upstream = request(
      {
        host: this.target.hostname,
        port: this.target.port,
        method: req.method,
        path: req.url,
        headers: req.headers,
        agent: this.upstreamAgent,
      },
      (answer) => {
        if (decision === 'pass') {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
          return;
        }
        // drop-response: let the server finish (its effect happens), send the client half of it, cut.
        const chunks: Buffer[] = [];
        answer.on('data', (chunk: Buffer) => chunks.push(chunk));
        answer.on('end', () => {
          const body = Buffer.concat(chunks);
          // An empty answer cut after its head would still be whole: cut before the head then.
          if (body.length > 1) {
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            res.write(body.subarray(0, Math.floor(body.length / 2)));
          }
          res.socket?.destroy();
        });
      },
    );
    upstream.on('error', () => res.socket?.destroy());
    req.pipe(upstream);
  }
}
