// Core's MemoryStore with fault injection on logBatch, recording every request: the batching
// logger's collaborator in its tests.
import type { LogBatch } from '../../src/index.js';
import { RecordingStore } from './recording-store.js';

export class FlakyStore extends RecordingStore {
  /** Every logBatch request, failed ones included. */
  readonly requests: { runId: string; batch: LogBatch }[] = [];
  /** Errors thrown by the next requests, one per request. */
  readonly failures: unknown[] = [];
  /** When set, a request containing a matching metric fails with this error. */
  poison: { readonly value: number; readonly error: unknown } | undefined;
  /** When set, requests wait for it. */
  gate: Promise<void> | undefined;

  override async logBatch(runId: string, batch: LogBatch): Promise<void> {
    this.requests.push({ runId, batch });
    if (this.gate !== undefined) await this.gate;
    if (this.failures.length > 0) throw this.failures.shift();
    if (this.poison !== undefined && batch.metrics?.some((m) => m.value === this.poison!.value)) throw this.poison.error;
    return super.logBatch(runId, batch);
  }

  /** Creates `n` runs and returns their ids. */
  async runsFor(n: number): Promise<string[]> {
    const exp = await this.createExperiment({ name: `e${this.experiments.size}` });
    const ids: string[] = [];
    for (let i = 0; i < n; i++) ids.push((await this.createRun({ experimentId: exp })).info.runId);
    return ids;
  }

  /** Steps of every stored point of one metric, in the order they were logged. */
  steps(runId: string, key = 'loss'): number[] {
    return this.runs
      .get(runId)!
      .metrics.filter((m) => m.key === key)
      .map((m) => m.step);
  }
}
