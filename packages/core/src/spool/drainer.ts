import type { OperationalLogger } from '../contracts/logger.js';
import { runInBackground } from '../logging/background-work.js';
import type { SyncReport } from '../sync/types.js';

/** Options of {@link Drainer}. */
export interface DrainerOptions {
  /** One sync of the spool into the server (`syncLogbook(spool, server)`). */
  readonly sync: () => Promise<SyncReport>;
  /** Whether the server is believed reachable now (the breaker is closed). */
  readonly reachable: () => boolean;
  /** A drain failed: the server went away again (retryable) or refused something. */
  readonly onFailure: (error: unknown) => void;
  /** A drain finished; `clean` when nothing was written to the spool meanwhile. */
  readonly onDrained: (report: SyncReport, clean: boolean) => void;
  /** Wait after a spool write before draining it, milliseconds. @default 1000 */
  readonly delayMs?: number;
  readonly logger: OperationalLogger;
}

/**
 * Pushes the spool into the server in the background, one sync at a time: after the server
 * answers again, and (debounced) after writes that went to the spool while it is reachable. Its
 * timer never keeps the process alive; a drain in progress is awaited by `close()`.
 */
export class Drainer {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private writesSince = 0;
  private stopped = false;

  constructor(private readonly options: DrainerOptions) {}

  /** Something was written to the spool. */
  noteWrite(): void {
    this.writesSince++;
    this.request();
  }

  /** Drains soon (when the server is reachable). */
  request(delayMs = this.options.delayMs ?? 1000): void {
    if (this.stopped) return;
    if (this.running !== undefined) {
      this.again = true;
      return;
    }
    if (this.timer !== undefined) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.options.reachable()) void this.drain();
    }, delayMs);
    this.timer.unref();
  }

  /** Runs one drain now (or joins the one running) and resolves when it ends. */
  drain(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.running ??= this.runOnce().finally(() => {
      this.running = undefined;
      if (this.again) {
        this.again = false;
        this.request();
      }
    });
    return this.running;
  }

  /** Stops scheduling; a drain in progress is awaited. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
  }

  private async runOnce(): Promise<void> {
    const before = this.writesSince;
    try {
      const report = await runInBackground(this.options.sync);
      this.options.onDrained(report, this.writesSince === before);
    } catch (error) {
      this.options.onFailure(error);
    }
  }
}
