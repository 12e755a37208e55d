import { randomUUID } from 'node:crypto';
import type { Context, Next } from 'koa';

const KEY = 'logbookRequestId';
const SAFE_ID = /^[A-Za-z0-9._-]{8,64}$/;

/** The request id: the caller's `X-Request-Id` when it is a safe token, else a new UUID. */
export function requestIdOf(ctx: Context): string {
  const state = ctx.state as Record<string, unknown>;
  let id = state[KEY] as string | undefined;
  if (id === undefined) {
    const given = ctx.get('x-request-id');
    id = SAFE_ID.test(given) ? given : randomUUID();
    state[KEY] = id;
  }
  return id;
}

/** Middleware that assigns the request id and echoes it in `X-Request-Id`. */
export async function requestId(ctx: Context, next: Next): Promise<void> {
  ctx.set('X-Request-Id', requestIdOf(ctx));
  await next();
}
