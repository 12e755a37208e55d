import { chunkEntries } from '../logging/chunk-entries.js';
import { toBatch } from '../logging/entries.js';
import type { Metric } from '../model/run.js';
import { LIMITS } from '../validation/limits.js';
import type { SyncJob } from './sync-job.js';

interface Request {
  /** Keys of this request not yet acknowledged for the run when it was sent. */
  readonly fresh: ReadonlySet<string>;
  readonly settled: Promise<void>;
}

/**
 * Sends one run's points in full log-batch requests, several in flight at once (they share the
 * job's {@link SyncJob.batchSlots}, so a run with a long history fills the server on its own and
 * many runs together never exceed the limit); {@link drain} returns once every request was
 * acknowledged, or throws the first failure after the others settled.
 *
 * Two requests of one run in flight together must not both carry a key the target may hold no
 * latest-metric row for: MLflow's SQL store inserts that row inside each request's transaction and
 * the second insert fails on the unique key. So a request carrying a key not yet acknowledged for
 * the run waits until no request in flight carries that key; keys arrive sorted, so after each
 * key's first request its further points go out in parallel.
 */
export class MetricSender {
  private readonly acked = new Set<string>();
  private readonly inFlight = new Set<Request>();
  private failure: { readonly error: unknown } | undefined;

  constructor(
    private readonly job: SyncJob,
    private readonly runId: string,
  ) {}

  /** Queues `metrics` in log-batch chunks; resolves when the last chunk is in flight. */
  async send(metrics: readonly Metric[]): Promise<void> {
    const chunks = chunkEntries(
      metrics.map((metric) => ({ kind: 'metric' as const, metric })),
      LIMITS.maxBatchTotal,
    );
    for (const chunk of chunks) await this.dispatch(toBatch(chunk).metrics ?? []);
  }

  /** Waits for every request in flight; throws the first failure. */
  async drain(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight].map((r) => r.settled));
    this.rethrow();
  }

  private rethrow(): void {
    if (this.failure !== undefined) throw this.failure.error;
  }

  private async dispatch(metrics: readonly Metric[]): Promise<void> {
    this.rethrow();
    const fresh = new Set<string>();
    for (const m of metrics) if (!this.acked.has(m.key)) fresh.add(m.key);
    for (;;) {
      const clashing = [...this.inFlight].filter((r) => [...fresh].some((key) => r.fresh.has(key)));
      if (clashing.length === 0) break;
      await Promise.race(clashing.map((r) => r.settled));
    }
    const release = await this.job.batchSlots.acquire();
    if (this.failure !== undefined) {
      release();
      this.rethrow();
    }
    const settled = this.job.target.tracking
      .logBatch(this.runId, { metrics })
      .then(
        () => {
          for (const key of fresh) this.acked.add(key);
        },
        (error: unknown) => {
          this.failure ??= { error };
        },
      )
      .finally(() => {
        release();
        this.inFlight.delete(request);
      });
    const request: Request = { fresh, settled };
    this.inFlight.add(request);
  }
}
