import Router from '@koa/router';
import type { SessionTokens } from './sessions.js';
import type { UserDirectory } from './users.js';

/** The host's own routes, unrelated to Logbook: a home page, login and "who am I". */
export function hostRoutes(users: UserDirectory, sessions: SessionTokens): Router {
  const router = new Router();
  router.get('/', (ctx) => {
    ctx.body = { app: 'example host', logbook: '/mlflow', docs: '/mlflow/openapi.json', report: '/mlflow/ui' };
  });
  router.post('/login', async (ctx) => {
    const body = await readJson(ctx.req);
    const username = typeof body?.username === 'string' ? body.username : '';
    const password = typeof body?.password === 'string' ? body.password : '';
    const role = username === '' ? undefined : users.check(username, password);
    if (role === undefined) {
      ctx.status = 401;
      ctx.body = { error: 'invalid username or password' };
      return;
    }
    const token = sessions.issue({ id: username, role });
    ctx.cookies.set('session', token, { httpOnly: true, sameSite: 'strict', overwrite: true });
    ctx.body = { token, role };
  });
  router.get('/me', (ctx) => {
    const header = /^Bearer (\S+)$/.exec(ctx.get('authorization'))?.[1];
    const user = header !== undefined ? sessions.verify(header) : (ctx.state as { user?: unknown }).user;
    if (user === undefined) {
      ctx.status = 401;
      ctx.body = { error: 'not logged in' };
      return;
    }
    ctx.body = { user };
  });
  return router;
}

/** Reads a small JSON body (the host's login form); anything else is `undefined`. */
async function readJson(req: import('node:http').IncomingMessage): Promise<Record<string, unknown> | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > 16_384) return undefined;
    chunks.push(chunk as Buffer);
  }
  try {
    const value = JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
