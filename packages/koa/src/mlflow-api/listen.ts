import { createServer } from 'node:http';
import type { Server } from 'node:http';
import Koa from 'koa';
import { createMlflowApiRouter } from './create-mlflow-router.js';
import type { MlflowApiRouterOptions } from './options.js';

/** Options of {@link listenMlflowApi}: the router's, plus where to listen. */
export interface ListenMlflowApiOptions extends MlflowApiRouterOptions {
  /** @default '127.0.0.1' */
  readonly host?: string;
  /** 0 picks a free port. @default 5000 */
  readonly port?: number;
}

/** A running MLflow-compatible server. */
export interface MlflowApiServer {
  /** `http://host:port` as clients should reach it. */
  readonly url: string;
  readonly port: number;
  readonly server: Server;
  /** Stops accepting connections and waits for requests in flight; the stores stay open. */
  close(): Promise<void>;
}

/**
 * Starts a standalone HTTP server answering MLflow's REST API (what `logbook serve` runs).
 * Closing it ends idle keep-alive connections at once and waits for requests in flight.
 */
export async function listenMlflowApi(options: ListenMlflowApiOptions): Promise<MlflowApiServer> {
  const router = createMlflowApiRouter(options);
  const app = new Koa();
  // Errors are answered by the router's own middleware; Koa's default logger would only repeat them.
  app.silent = true;
  app.use(router.routes());
  const server = createServer(app.callback());
  // Python's requests keeps connections alive; long uploads must not be cut by Node's defaults.
  server.requestTimeout = 0;
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 5000, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : (options.port ?? 5000);
  let closing: Promise<void> | undefined;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    server,
    close: () =>
      (closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      })),
  };
}
