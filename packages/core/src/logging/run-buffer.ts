import type { Entry } from './entries.js';

/**
 * What one run has waiting: entries not yet handed to a flush, and the chain of that run's
 * flushes. Flushes of one run run one after another, so entries reach the store in call order.
 */
export class RunBuffer {
  private entries: Entry[] = [];
  /** Settles when every flush started so far for this run has finished. */
  chain: Promise<void> = Promise.resolve();

  get size(): number {
    return this.entries.length;
  }

  push(entries: readonly Entry[]): void {
    if (entries.length === 1) this.entries.push(entries[0]!);
    else for (const e of entries) this.entries.push(e);
  }

  /** Removes and returns everything waiting. */
  take(): Entry[] {
    const taken = this.entries;
    this.entries = [];
    return taken;
  }
}
