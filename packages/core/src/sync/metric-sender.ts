import { chunkEntries } from '../logging/chunk-entries.js';
import { toBatch } from '../logging/entries.js';
import type { Metric } from '../model/run.js';
import { LIMITS } from '../validation/limits.js';
import type { SyncJob } from './sync-job.js';

/** Metric points in log-batch chunks (MLflow's limits). */
function chunk(metrics: readonly Metric[]): (readonly Metric[])[] {
  return chunkEntries(metrics.map((metric) => ({ kind: 'metric' as const, metric })), LIMITS.maxBatchTotal).map((c) => toBatch(c).metrics ?? []);
}

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
 * key's first request its further points go out in parallel. A new key split over several
 * requests is brought by a one-point primer first, so those requests do not queue behind each
 * other (a page of 400 points a key would otherwise go out one request at a time).
 */
export class MetricSender {
  private readonly acked = new Set<string>();
  private readonly inFlight = new Set<Request>();
  private failure: { readonly error: unknown } | undefined;

  constructor(private readonly job: SyncJob, private readonly runId: string) {}

  /**
   * Queues `metrics` in log-batch chunks; resolves when the last chunk is in flight. A key new to
   * the run that the chunks would split over several requests first goes alone, one point of it in
   * a small request ahead of them (the primer): then its requests need not wait for each other.
   */
  async send(metrics: readonly Metric[]): Promise<void> {
    const primer = new Map<string, Metric>();
    let chunks = chunk(metrics);
    // One request at a time: a primer would only add one.
    if (this.job.batchSlots.size === 1) {
      for (const c of chunks) await this.dispatch(c);
      return;
    }
    // Taking points out shifts the chunk boundaries, which may split another key: until none is.
    for (let split = this.splitKeys(chunks, primer); split.size > 0; split = this.splitKeys(chunks, primer)) {
      for (const [key, point] of split) primer.set(key, point);
      const primed = new Set(primer.values());
      chunks = chunk(metrics.filter((m) => !primed.has(m)));
    }
    for (const c of chunk([...primer.values()])) await this.dispatch(c);
    for (const c of chunks) await this.dispatch(c);
  }

  /**
   * Keys new to the run (not acknowledged, not brought by a request in flight, not in `primer`)
   * found in more than one of `chunks`, each with its first point.
   */
  private splitKeys(chunks: readonly (readonly Metric[])[], primer: ReadonlyMap<string, Metric>): Map<string, Metric> {
    const coming = new Set<string>();
    for (const r of this.inFlight) for (const key of r.fresh) coming.add(key);
    const first = new Map<string, { readonly point: Metric; readonly chunk: number; split: boolean }>();
    chunks.forEach((c, index) => {
      for (const m of c) {
        if (this.acked.has(m.key) || coming.has(m.key) || primer.has(m.key)) continue;
        const seen = first.get(m.key);
        if (seen === undefined) first.set(m.key, { point: m, chunk: index, split: false });
        else if (seen.chunk !== index) seen.split = true;
      }
    });
    return new Map([...first].filter(([, f]) => f.split).map(([key, f]) => [key, f.point]));
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
    const settled = this.job.target.tracking.logBatch(this.runId, { metrics }).then(
      () => { for (const key of fresh) this.acked.add(key); },
      (error: unknown) => { this.failure ??= { error }; },
    ).finally(() => {
      release();
      this.inFlight.delete(request);
    });
    const request: Request = { fresh, settled };
    this.inFlight.add(request);
  }
}
