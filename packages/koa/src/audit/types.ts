/** How an audited request ended. */
export type AuditOutcome = 'success' | 'unauthenticated' | 'denied' | 'rejected' | 'error';

/** What the router knows about an audited request; never a credential or a request body. */
export interface AuditRecordInput {
  readonly requestId: string;
  /** Principal id (`key:ci`, a user id) or `anonymous`. */
  readonly actor: string;
  /** Authenticator that accepted the request (`api-key`, `bearer`, `host`); absent when none did. */
  readonly authMethod?: string;
  /** e.g. `run.log_batch`, `model.transition`. */
  readonly action: string;
  /** e.g. `run:3f2a…`, `model:churn`, `experiment:4`. */
  readonly target?: string;
  readonly outcome: AuditOutcome;
  readonly status: number;
  /** Small non-secret facts, e.g. `{ stage: 'Production' }`. */
  readonly detail?: Readonly<Record<string, string | number | boolean>>;
}

/** One entry of the audit log, chained to the previous one by hash. */
export interface AuditEntry extends AuditRecordInput {
  /** 1, 2, 3, … with no gaps. */
  readonly seq: number;
  /** ISO 8601 time the entry was written. */
  readonly time: string;
  /** `hash` of the previous entry; 64 zeros for the first. */
  readonly prevHash: string;
  /** SHA-256 (hex) of `prevHash` and the canonical JSON of every other field. */
  readonly hash: string;
}

/**
 * Durable, append-only storage of audit entries. Implementations write each entry before
 * `append` resolves (fsync for files, a committed transaction for SQLite) and never rewrite one.
 */
export interface AuditSink {
  /** The last entry written, or `undefined` when the log is empty. */
  last(): Promise<AuditEntry | undefined>;
  append(entry: AuditEntry): Promise<void>;
  /** Every entry in order. */
  entries(): AsyncIterable<AuditEntry>;
  close(): Promise<void>;
}
