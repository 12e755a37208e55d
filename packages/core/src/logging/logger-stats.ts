/** Counters of a {@link BatchingLogger}, for health and metrics endpoints. */
export interface BatchingLoggerStats {
  /** Entries accepted and not yet written, spooled or given up on (in memory, in flight included). */
  readonly buffered: number;
  /** Entries the store acknowledged. */
  readonly flushed: number;
  /** Entries the store could not take for now, kept in the spool to be delivered later. */
  readonly spooled: number;
  /** Entries refused because the buffer was full or the logger closed. */
  readonly dropped: number;
  /** Entries the store refused, or that could not be delivered nor spooled (reported with their count). */
  readonly failed: number;
  /** Entries rejected at the call as invalid (bad key, non-number value…). */
  readonly rejected: number;
}

/** Mutable counters behind {@link BatchingLoggerStats}. */
export class StatsCounters {
  buffered = 0;
  flushed = 0;
  spooled = 0;
  dropped = 0;
  failed = 0;
  rejected = 0;

  snapshot(): BatchingLoggerStats {
    const { buffered, flushed, spooled, dropped, failed, rejected } = this;
    return { buffered, flushed, spooled, dropped, failed, rejected };
  }
}
