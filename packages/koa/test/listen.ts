import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import type Router from '@koa/router';
import Koa from 'koa';

const servers: Server[] = [];

/** Serves `router` on a free local port; returns the API's base URL (`…/mlflow`). */
export async function listenRouter(router: Router, prefix = '/mlflow'): Promise<string> {
  const app = new Koa();
  app.use(router.routes());
  const server = app.listen(0, '127.0.0.1');
  servers.push(server);
  await new Promise((r) => server.once('listening', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}${prefix}`;
}

/** Closes every server {@link listenRouter} started (an `afterEach`). */
export async function closeRouters(): Promise<void> {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
}
