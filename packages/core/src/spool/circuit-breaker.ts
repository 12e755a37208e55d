import type { OperationalLogger } from '../contracts/logger.js';
import { runInBackground } from '../logging/background-work.js';
import { classifyFailure } from '../logging/outcome.js';

/** Options of {@link CircuitBreaker}. */
export interface CircuitBreakerOptions {
  /** A cheap call to the server; resolving, or failing with a permanent error, means it answers. */
  readonly probe: () => Promise<unknown>;
  /** Called when the server answers again. */
  readonly onClose: () => void;
  /** Called once when the breaker opens. */
  readonly onOpen: (cause: unknown) => void;
  /** First wait between probes, milliseconds; doubles up to `maxProbeIntervalMs`. @default 1000 */
  readonly probeIntervalMs?: number;
  /** @default 15000 */
  readonly maxProbeIntervalMs?: number;
  readonly logger: OperationalLogger;
}

/**
 * Open after a retryable failure of the server: new writes go straight to the spool (nobody waits
 * for a transport deadline again) while one probe at a time checks, with growing intervals, whether
 * the server answers; the first answer closes it. Probe timers never keep the process alive.
 */
export class CircuitBreaker {
  private opened = false;
  private timer: NodeJS.Timeout | undefined;
  private probing = false;
  private interval: number;
  private stopped = false;

  constructor(private readonly options: CircuitBreakerOptions) {
    this.interval = options.probeIntervalMs ?? 1000;
  }

  /** True while writes should skip the server. */
  get isOpen(): boolean {
    return this.opened;
  }

  /** Opens the breaker (idempotent) and starts probing. */
  trip(cause: unknown): void {
    if (this.stopped) return;
    if (!this.opened) {
      this.opened = true;
      this.interval = this.options.probeIntervalMs ?? 1000;
      this.options.onOpen(cause);
    }
    this.schedule();
  }

  /** Stops probing for good (close). */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private schedule(): void {
    if (this.timer !== undefined || this.probing || this.stopped) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.probeOnce();
    }, this.interval);
    this.timer.unref();
  }

  private async probeOnce(): Promise<void> {
    this.probing = true;
    let answers: boolean;
    try {
      await runInBackground(this.options.probe);
      answers = true;
    } catch (error) {
      answers = classifyFailure(error) === 'permanent';
      if (!answers) this.options.logger.debug({ err: error }, 'spool: server still unreachable');
    } finally {
      this.probing = false;
    }
    if (this.stopped) return;
    if (answers) {
      this.opened = false;
      this.options.onClose();
      return;
    }
    this.interval = Math.min(this.interval * 2, this.options.maxProbeIntervalMs ?? 15_000);
    this.schedule();
  }
}
