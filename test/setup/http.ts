// Small HTTP helpers shared by the route tests of @logbook/koa and of the example host.
import { request } from 'node:http';

/** A unique name per call, so suites can share one server. */
export function unique(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}

/** GET with the path sent byte for byte (fetch would resolve `%2e%2e` segments before sending). */
export function rawGet(url: string, path: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port, path, method: 'GET', headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => {
        body += c;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** What a test host's `api` call takes: a key (default the admin's, `null` for none), a JSON body or a raw one. */
export interface ApiInit {
  method?: string;
  body?: unknown;
  key?: string | null;
  headers?: Record<string, string>;
  raw?: string;
}

/** An `api(path, init)` that calls `${base}${path}` with an `x-api-key` header and parses a JSON answer. */
export function apiCaller(base: string, adminKey: string) {
  return async (path: string, init: ApiInit = {}): Promise<{ status: number; body: any; headers: Headers }> => {
    const key = init.key === undefined ? adminKey : init.key;
    const headers: Record<string, string> = { ...(key !== null && { 'x-api-key': key }), ...init.headers };
    let body: string | undefined = init.raw;
    if (init.body !== undefined) {
      body = JSON.stringify(init.body);
      headers['content-type'] ??= 'application/json';
    } else if (body !== undefined) headers['content-type'] ??= 'application/json';
    const res = await fetch(`${base}${path}`, { method: init.method ?? (body === undefined ? 'GET' : 'POST'), headers, ...(body !== undefined && { body }) });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      /* not JSON */
    }
    return { status: res.status, body: parsed, headers: res.headers };
  };
}
