/** What the spool has done in this process (the exact backlog: `Logbook.spoolStatus()`). */
export interface SpoolStats {
  /** True while the server is unreachable and writes go to the spool. */
  readonly active: boolean;
  /** The spool database. */
  readonly path: string;
  /** Writes (batches, run creations and updates) that went to the spool in this process. */
  readonly writes: number;
  /** Of those, written since the last complete drain: 0 when everything reached the server. */
  readonly pendingWrites: number;
  /** Drains that completed. */
  readonly drains: number;
  /** Points delivered to the server by drains of this process. */
  readonly drainedPoints: number;
  readonly lastDrainAt?: number;
  readonly lastError?: string;
}
