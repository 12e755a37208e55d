/**
 * How an audited request ended. `intent` marks the entry written before a change is attempted
 * (see {@link AuditLog}); the entry with the real outcome follows it and names it by `intentSeq`.
 */
export type AuditOutcome = 'intent' | 'success' | 'unauthenticated' | 'denied' | 'rejected' | 'error';

/** What the router knows about an audited request; never a credential or a request body. */
export interface AuditRecordInput {
  readonly requestId: string;
  /** Principal id (`key:ci`, a user id) or `anonymous`. */
  readonly actor: string;
  /** Authenticator that accepted the request (`api-key`, `bearer`, `host`); absent when none did. */
  readonly authMethod?: string;
  /** e.g. `run.log_batch`, `model.transition`; `audit.fence` for an entry that fences damage. */
  readonly action: string;
  /** e.g. `run:3f2a…`, `model:churn`, `experiment:4`. */
  readonly target?: string;
  readonly outcome: AuditOutcome;
  /** HTTP status of the response; absent on `intent` entries. */
  readonly status?: number;
  /** Sequence number of the `intent` entry this outcome completes. */
  readonly intentSeq?: number;
  /** Small non-secret facts, e.g. `{ stage: 'Production' }`. */
  readonly detail?: Readonly<Record<string, string | number | boolean>>;
  /** State the change replaced (registry changes, see core's `RegistryChange`). */
  readonly before?: Readonly<Record<string, string>>;
  /** State the change left. */
  readonly after?: Readonly<Record<string, string>>;
}

/** One entry of the audit log, chained to the previous one by hash. */
export interface AuditEntry extends AuditRecordInput {
  /** 1, 2, 3, … with no gaps. */
  readonly seq: number;
  /** ISO 8601 time the entry was written. */
  readonly time: string;
  /** `hash` of the previous entry; 64 zeros for the first. */
  readonly prevHash: string;
  /**
   * Hex HMAC-SHA256 (with the log's key) or SHA-256 (without one) of `prevHash` and the canonical
   * JSON of every other field.
   */
  readonly hash: string;
}

/**
 * The anchor of a log: how many entries it has and the hash of the last one. Sinks keep it apart
 * from the entries (a side file, a table row) so that cutting entries off the end is detected;
 * {@link AuditLog.head} returns it for an operator to keep somewhere else as well.
 */
export interface AuditHead {
  /** Sequence number of the last entry (the number of entries). */
  readonly seq: number;
  /** `hash` of that entry. */
  readonly hash: string;
  /** ISO 8601 time the head was written. */
  readonly time: string;
  /** Hex HMAC-SHA256 of the other fields with the log's key; absent for an unkeyed log. */
  readonly mac?: string;
}

/**
 * Bytes at the end of a log that are not a complete entry: a write cut short by a full disk or a
 * crash. The next append fences them with an `audit.fence` entry naming offset, length and hash.
 */
export interface AuditDamage {
  /** Byte offset where the damaged bytes start. */
  readonly offset: number;
  /** How many bytes are damaged. */
  readonly bytes: number;
  /** Hex SHA-256 of the damaged bytes. */
  readonly sha256: string;
}

/**
 * Durable, append-only storage of audit entries. Implementations write each entry before
 * `append` resolves (fsync for files, a committed transaction for SQLite) and never rewrite one.
 */
export interface AuditSink {
  /** The last complete entry, or `undefined` when the log has none. Never throws on damage. */
  last(): Promise<AuditEntry | undefined>;
  /**
   * Appends one entry and, when given, replaces the head record in the same step (after the entry
   * is durable). A failed append may leave a torn tail behind; {@link AuditSink.damage} finds it.
   */
  append(entry: AuditEntry, head?: AuditHead): Promise<void>;
  /**
   * Every entry in order; throws a `DATA_LOSS` LogbookError at damage that no fence names, unless
   * `skipDamage` (what queries use: damage is for `verifyAuditLog` to report, not to hide the rest).
   */
  entries(options?: { readonly skipDamage?: boolean }): AsyncIterable<AuditEntry>;
  /** The head record, or `undefined` when none was written. Sinks without one omit this. */
  head?(): Promise<AuditHead | undefined>;
  /** Damaged bytes after the last complete entry, not yet fenced. Sinks that cannot tear omit this. */
  damage?(): Promise<AuditDamage | undefined>;
  close(): Promise<void>;
}
