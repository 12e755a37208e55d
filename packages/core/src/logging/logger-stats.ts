/** Counters of a {@link BatchingLogger}, for health and metrics endpoints. */
export interface BatchingLoggerStats {
  /** Entries accepted and not yet written or given up on (in memory, in flight included). */
  readonly buffered: number;
  /** Entries the store acknowledged. */
  readonly flushed: number;
  /** Entries refused because the buffer was full or the logger closed. */
  readonly dropped: number;
  /** Entries the store refused, or that were lost after every retry failed. */
  readonly failed: number;
  /** Entries rejected at the call as invalid (bad key, non-number value…). */
  readonly rejected: number;
  /** Log-batch requests retried after a transient failure. */
  readonly retries: number;
}

/** Mutable counters behind {@link BatchingLoggerStats}. */
export class StatsCounters {
  buffered = 0;
  flushed = 0;
  dropped = 0;
  failed = 0;
  rejected = 0;
  retries = 0;

  snapshot(): BatchingLoggerStats {
    const { buffered, flushed, dropped, failed, rejected, retries } = this;
    return { buffered, flushed, dropped, failed, rejected, retries };
  }
}
