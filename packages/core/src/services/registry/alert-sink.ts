import { LogbookError } from '../../errors.js';

/** One metric of a deployed version that fell past the threshold. */
export interface DegradedMetric {
  readonly key: string;
  /** The value the version's source run had at registration. */
  readonly baseline: number;
  readonly live: number;
  /** Relative change in the bad direction (0.2 = 20 % worse). */
  readonly degradation: number;
  readonly threshold: number;
}

/** What an {@link AlertSink} receives when a deployed model degrades. */
export interface ModelAlert {
  readonly kind: 'model.degraded';
  readonly modelName: string;
  readonly version: string;
  readonly semver?: string;
  readonly environment: string;
  /** The deployment run the live metrics were logged on. */
  readonly deploymentId: string;
  readonly metrics: readonly DegradedMetric[];
  /** ISO 8601. */
  readonly at: string;
}

/** Where alerts go: a webhook, a pager, a test's array. Failures are reported to the error handler, never thrown at the caller. */
export interface AlertSink {
  send(alert: ModelAlert): Promise<void>;
}

/** Options of {@link WebhookAlertSink}. */
export interface WebhookAlertSinkOptions {
  /** The endpoint (http or https) that receives a POST of the alert as JSON. */
  readonly url: string;
  /** Extra headers, e.g. an authorization token. */
  readonly headers?: Readonly<Record<string, string>>;
  /** @default 10000 */
  readonly timeoutMs?: number;
}

/**
 * Posts each alert as a JSON document (`content-type: application/json`, the {@link ModelAlert}
 * as body). Any 2xx answer is delivery; anything else is an error for the error handler.
 */
export class WebhookAlertSink implements AlertSink {
  private readonly url: URL;

  constructor(private readonly options: WebhookAlertSinkOptions) {
    let url: URL;
    try {
      url = new URL(options.url);
    } catch (cause) {
      throw new LogbookError('INVALID_CONFIGURATION', `[core] Webhook alert sink url '${options.url}' is not a URL.`, { cause, field: 'url' });
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new LogbookError('INVALID_CONFIGURATION', `[core] Webhook alert sink url must be http or https, not ${url.protocol}.`, { field: 'url' });
    }
    this.url = url;
  }

  async send(alert: ModelAlert): Promise<void> {
    const response = await fetch(this.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...this.options.headers },
      body: JSON.stringify(alert),
      signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000),
    }).catch((cause: unknown) => {
      throw new LogbookError('TEMPORARILY_UNAVAILABLE', `[core] Webhook alert to ${this.url.origin} failed: ${(cause as Error).message}.`, { cause });
    });
    await response.body?.cancel();
    if (!response.ok) {
      throw new LogbookError('TEMPORARILY_UNAVAILABLE', `[core] Webhook alert to ${this.url.origin} answered HTTP ${response.status}.`);
    }
  }
}
