import type { Context, Next } from 'koa';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { ModelGauges } from './model-gauges.js';
import type { ModelMonitoringSource } from './model-gauges.js';
import { backlogNumbers } from './routes/route.js';
import type { BacklogSource } from './routes/route.js';

/** Prometheus metrics of one router, in a registry of its own (never prom-client's global one). */
export class RouterMetrics {
  readonly registry = new Registry();
  readonly #requests: Counter<'method' | 'route' | 'status'>;
  readonly #duration: Histogram<'method' | 'route' | 'status'>;
  readonly #backendErrors: Counter<'code'>;
  readonly #models: ModelGauges | undefined;

  /**
   * @param backlog - read at scrape time: the batching logger's stats; every numeric field
   *   becomes one `logbook_logging_backlog{field=…}` sample.
   * @param models - read at scrape time: the live deployments and their metrics (see {@link ModelGauges}).
   */
  constructor(backlog?: BacklogSource, models?: ModelMonitoringSource) {
    this.#requests = new Counter({
      name: 'logbook_http_requests_total',
      help: 'HTTP requests handled by the Logbook router.',
      labelNames: ['method', 'route', 'status'],
      registers: [this.registry],
    });
    this.#duration = new Histogram({
      name: 'logbook_http_request_duration_seconds',
      help: 'Latency of HTTP requests handled by the Logbook router.',
      labelNames: ['method', 'route', 'status'],
      registers: [this.registry],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    });
    this.#backendErrors = new Counter({
      name: 'logbook_backend_errors_total',
      help: 'Requests that failed in the backend (5xx), by error code.',
      labelNames: ['code'],
      registers: [this.registry],
    });
    new Gauge({
      name: 'logbook_logging_backlog',
      help: "The batching logger's backlog (buffered points and the like).",
      labelNames: ['field'],
      registers: [this.registry],
      collect() {
        for (const [field, value] of Object.entries(backlogNumbers(backlog) ?? {})) this.set({ field }, value);
      },
    });
    this.#models = models === undefined ? undefined : new ModelGauges(this.registry, models);
  }

  /** Middleware timing one route; `route` is its template, so labels stay few. */
  timer(method: string, route: string) {
    return async (ctx: Context, next: Next): Promise<void> => {
      const end = this.#duration.startTimer();
      try {
        await next();
      } finally {
        const labels = { method, route, status: String(ctx.status) };
        end(labels);
        this.#requests.inc(labels);
      }
    };
  }

  /** Counts a server-side error by its code. */
  backendError(code: string): void {
    this.#backendErrors.inc({ code });
  }

  async text(): Promise<{ contentType: string; body: string }> {
    await this.#models?.refresh();
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
