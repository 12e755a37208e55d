import type { Entry } from './entries.js';

/**
 * One chunk of a run's entries on its way to the store, with the entries not yet settled
 * (written, refused, handed on or reported). The exit drain takes what is still open when the
 * drain time is up; a write that settles later finds its entries gone and counts nothing twice.
 */
export class PendingChunk {
  private readonly open: Set<Entry>;

  constructor(
    readonly runId: string,
    readonly entries: readonly Entry[],
  ) {
    this.open = new Set(entries);
  }

  /** Entries not settled yet, in order. */
  get unsettled(): Entry[] {
    return this.entries.filter((e) => this.open.has(e));
  }

  get settled(): boolean {
    return this.open.size === 0;
  }

  /** Marks `entries` settled. @returns how many of them were still open (the count to record). */
  settle(entries: readonly Entry[]): number {
    let count = 0;
    for (const e of entries) if (this.open.delete(e)) count++;
    return count;
  }

  /** Settles and returns everything still open (the exit drain's take). */
  takeUnsettled(): Entry[] {
    const taken = this.unsettled;
    this.open.clear();
    return taken;
  }
}
