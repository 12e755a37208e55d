import type { Readable } from 'node:stream';
import { request } from 'undici';
import type { Agent, Dispatcher } from 'undici';
import { LogbookError } from '@logbook/core';
import { isBackgroundWork } from '@logbook/core/spi';
import type { CredentialsConfig } from '@logbook/core';
import type { HttpConfig } from '../config/http-config.js';
import type { OperationalLogger } from '@logbook/core/spi';
import { createAgent, parseEndpoint } from './connection.js';
import { DEFAULT_HTTP } from '../config/http-config.js';
import type { Endpoint } from './connection.js';
import { certificateError, connectionError, httpError, mlflowErrorOf } from './errors.js';
import type { CallContext } from './errors.js';
import { encodeJson, encodeQuery, parseBody } from './json.js';
import type { QueryValue } from './json.js';
import { backoffMs, isCertificateError, isConnectionError, isRetryableStatus, neverSent, retryAfterMs } from './retry.js';

/** Options of {@link HttpTransport}. */
export interface TransportOptions {
  /** `http(s)://host:port[/static-prefix]`. */
  readonly trackingUri: string;
  readonly credentials?: CredentialsConfig;
  /** Retries, timeouts, TLS. @default MLflow's Python client's settings (see DEFAULT_HTTP) */
  readonly http?: Partial<HttpConfig>;
  /** Retries are reported here at `warn` (method, path, status: never headers). */
  readonly logger?: OperationalLogger;
  /** For tests: the random source of backoff jitter. */
  readonly random?: () => number;
}

/** One request for {@link HttpTransport.send}. */
export interface RawRequest {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Below the tracking URI, e.g. `/api/2.0/mlflow/runs/get`. */
  readonly path: string;
  readonly query?: Readonly<Record<string, QueryValue>>;
  readonly headers?: Readonly<Record<string, string>>;
  /** Makes the body of each attempt (called again on retry). */
  readonly body?: () => string | Buffer | Uint8Array | Readable;
  /** False for bodies that can be sent once only (a caller's stream): then no retry. @default true */
  readonly replayable?: boolean;
  /**
   * Called before retrying when the failed attempt may have taken effect (reset connection, 5xx).
   * A value other than undefined ends the call with it (used to find a run a lost response created).
   */
  readonly beforeAmbiguousRetry?: () => Promise<unknown>;
}

/** A call that ended: the server's 2xx response, or what `beforeAmbiguousRetry` found. */
export type Outcome = { readonly response: Dispatcher.ResponseData } | { readonly resolved: unknown };

/**
 * Waits between attempts. In background work (the batching logger's flushes, the spool's probes)
 * the timer does not hold the process open: a script that returned exits after the exit drain.
 */
const sleep = (ms: number) =>
  new Promise<void>((r) => {
    const timer = setTimeout(r, ms);
    if (isBackgroundWork()) timer.unref();
  });

/**
 * HTTP to one MLflow server: JSON calls and raw streaming requests, with the Python client's retry
 * policy (408/429/5xx and connection errors; exponential backoff with jitter; Retry-After honoured;
 * all attempts bounded by `deadlineMs`). A server certificate that fails TLS verification ends the
 * call on the first attempt with INVALID_CONFIGURATION. Credentials go in the Authorization header only; no
 * message or log line of this class contains them.
 */
export class HttpTransport {
  readonly http: HttpConfig;
  readonly endpoint: Endpoint;
  private readonly agent: Agent;
  private closed = false;

  constructor(private readonly options: TransportOptions) {
    this.http = { ...DEFAULT_HTTP, ...options.http };
    this.endpoint = parseEndpoint(options.trackingUri, options.credentials);
    this.agent = createAgent(this.http);
  }

  /** The tracking URI without user info, safe to show. */
  get baseUri(): string {
    return this.endpoint.origin + this.endpoint.prefix;
  }

  /** A JSON call: POST/PATCH/DELETE send `json` as the body, GET sends `query`. */
  async call<T>(
    method: RawRequest['method'],
    path: string,
    options: { readonly json?: unknown; readonly query?: Readonly<Record<string, QueryValue>>; readonly beforeAmbiguousRetry?: () => Promise<T | undefined> } = {},
  ): Promise<T> {
    const text = options.json === undefined ? undefined : encodeJson(options.json);
    const outcome = await this.execute({
      method,
      path,
      ...(options.query === undefined ? {} : { query: options.query }),
      ...(text === undefined ? {} : { body: () => text, headers: { 'content-type': 'application/json' } }),
      ...(options.beforeAmbiguousRetry === undefined ? {} : { beforeAmbiguousRetry: options.beforeAmbiguousRetry }),
    });
    if ('resolved' in outcome) return outcome.resolved as T;
    return parseBody<T>(await outcome.response.body.text());
  }

  /** A raw request; resolves with the 2xx response, its body not yet read. */
  async send(req: RawRequest): Promise<Dispatcher.ResponseData> {
    const outcome = await this.execute(req);
    if ('resolved' in outcome) throw new LogbookError('INTERNAL_ERROR', '[mlflow] beforeAmbiguousRetry is not supported by send().');
    return outcome.response;
  }

  /** Closes pooled connections; idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.agent.close();
  }

  private headers(extra: Readonly<Record<string, string>> | undefined): Record<string, string> {
    const headers: Record<string, string> = { 'user-agent': 'logbook-mlflow/0.1.0', ...extra };
    if (this.endpoint.authorization !== undefined) headers.authorization = this.endpoint.authorization;
    return headers;
  }

  private async execute(req: RawRequest): Promise<Outcome> {
    const call: CallContext = { method: req.method, path: this.endpoint.prefix + req.path, origin: this.endpoint.origin };
    const url = this.endpoint.origin + call.path + encodeQuery(req.query);
    const deadline = Date.now() + this.http.deadlineMs;
    const replayable = req.replayable !== false;
    // Whether any attempt may have reached the server: a failure is `unsent` only when none did.
    let reached = false;
    for (let attempt = 1; ; attempt++) {
      let failure: Error;
      let retryable: boolean;
      let ambiguous = true;
      let waitMs: number | undefined;
      try {
        const response = await request(url, {
          method: req.method,
          headers: this.headers(req.headers),
          body: req.body?.() ?? null,
          dispatcher: this.agent,
        });
        reached = true;
        if (response.statusCode >= 200 && response.statusCode < 300) return { response };
        const text = await response.body.text();
        failure = httpError(response.statusCode, text, call);
        const said = mlflowErrorOf(text);
        retryable = replayable && isRetryableStatus(response.statusCode, said.code, said.message);
        if ([413, 429, 503].includes(response.statusCode)) waitMs = retryAfterMs(response.headers['retry-after']);
      } catch (error) {
        if (isCertificateError(error)) throw certificateError(error, call);
        if (!isConnectionError(error)) {
          throw new LogbookError('INTERNAL_ERROR', `[mlflow] ${call.method} ${call.path} failed: ${(error as Error).message}`, { cause: error });
        }
        ambiguous = !neverSent(error);
        reached ||= ambiguous;
        failure = connectionError(error, call, attempt, !reached);
        retryable = replayable;
      }
      if (!retryable || attempt > this.http.maxRetries) throw failure;
      const delay = waitMs ?? backoffMs(attempt, this.http, this.options.random);
      if (Date.now() + delay > deadline) throw failure;
      this.options.logger?.warn({ method: req.method, path: call.path, attempt, delayMs: delay, error: failure.message }, 'MLflow request failed; retrying');
      await sleep(delay);
      if (ambiguous && req.beforeAmbiguousRetry !== undefined) {
        const found = await req.beforeAmbiguousRetry();
        if (found !== undefined) return { resolved: found };
      }
    }
  }
}
