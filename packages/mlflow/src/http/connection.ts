import { readFileSync } from 'node:fs';
import { Agent } from 'undici';
import { LogbookError } from '@logbook/core';
import type { CredentialsConfig } from '@logbook/core';
import type { HttpConfig } from '../config/http-config.js';

/** A tracking URI split into what requests need; user info moves to credentials. */
export interface Endpoint {
  /** `http(s)://host:port`, no user info. */
  readonly origin: string;
  /** Path prefix (a `--static-prefix`), no trailing slash; `''` when none. */
  readonly prefix: string;
  /** `Authorization` header value, if any. */
  readonly authorization?: string;
}

const config = (field: string, message: string): never => {
  throw new LogbookError('INVALID_CONFIGURATION', `[mlflow] ${message}`, { field });
};

/**
 * Parses an `http(s)://` tracking URI. Credentials come from `credentials` (username+password →
 * Basic, else token → Bearer), or from user info in the URI when `credentials` has none.
 */
export function parseEndpoint(trackingUri: string, credentials: CredentialsConfig = {}): Endpoint {
  let url: URL;
  try {
    url = new URL(trackingUri);
  } catch {
    return config('trackingUri', 'trackingUri is not a valid URL; the MLflow backend needs http(s)://host:port.');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return config('trackingUri', `trackingUri scheme '${url.protocol}' is not served by @logbook/mlflow (http: or https: only).`);
  }
  const username = credentials.username ?? (url.username === '' ? undefined : decodeURIComponent(url.username));
  const password = credentials.password ?? (url.password === '' ? undefined : decodeURIComponent(url.password));
  if ((username === undefined) !== (password === undefined)) {
    config('credentials', 'credentials.username and credentials.password must be set together.');
  }
  let authorization: string | undefined;
  if (username !== undefined && password !== undefined) {
    authorization = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
  } else if (credentials.token !== undefined && credentials.token !== '') {
    authorization = `Bearer ${credentials.token}`;
  }
  const prefix = url.pathname.replace(/\/+$/, '');
  return { origin: url.origin, prefix, ...(authorization === undefined ? {} : { authorization }) };
}

/** An undici Agent with the TLS and timeout settings of `http`. */
export function createAgent(http: HttpConfig): Agent {
  let ca: string | undefined;
  if (http.caCertPath !== undefined) {
    try {
      ca = readFileSync(http.caCertPath, 'utf8');
    } catch (error) {
      config('http.caCertPath', `http.caCertPath '${http.caCertPath}' cannot be read: ${(error as Error).message}`);
    }
  }
  return new Agent({
    headersTimeout: http.requestTimeoutMs,
    bodyTimeout: http.requestTimeoutMs,
    connect: { timeout: Math.min(http.requestTimeoutMs, 30_000), rejectUnauthorized: !http.insecureTls, ...(ca === undefined ? {} : { ca }) },
    keepAliveTimeout: 30_000,
    connections: 16,
  });
}
