import { LogbookError, isLogbookError } from '@logbook/core';
import type { AuditDamage } from './types.js';

/** Something the audit log reports that no caller can be told of by an exception. */
export type AuditEvent =
  /** Damaged bytes (a torn tail) were found and fenced by the entry `seq`. */
  | { readonly kind: 'fenced'; readonly damage: AuditDamage; readonly seq: number }
  /** An outcome entry could not be written; it is kept and written before the next entry. */
  | { readonly kind: 'outcome-deferred'; readonly requestId: string; readonly pending: number; readonly error: unknown }
  /** An outcome entry was given up (too many waiting, or still unwritable at close). */
  | { readonly kind: 'outcome-lost'; readonly requestId: string; readonly error: unknown };

/** Receives {@link AuditEvent}s. Must not throw. */
export type AuditEventHandler = (event: AuditEvent) => void;

/** Default handler: one line on stderr, without any request content. */
export const stderrAuditEvents: AuditEventHandler = (event) => {
  let line: string;
  if (event.kind === 'fenced') {
    const { offset, bytes, sha256 } = event.damage;
    line = `[koa] audit log: ${bytes} damaged bytes at offset ${offset} (sha256 ${sha256}) fenced by entry ${event.seq}`;
  } else if (event.kind === 'outcome-deferred') {
    line = `[koa] audit log: outcome of request ${event.requestId} not written yet (${codeOf(event.error)}); ${event.pending} waiting`;
  } else {
    line = `[koa] audit log: outcome of request ${event.requestId} lost (${codeOf(event.error)}); its intent entry remains`;
  }
  process.stderr.write(`${line}\n`);
};

function codeOf(error: unknown): string {
  for (let e = error, depth = 0; typeof e === 'object' && e !== null && depth < 4; e = (e as { cause?: unknown }).cause, depth += 1) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && !isLogbookError(e)) return code;
  }
  return isLogbookError(error) ? error.code : 'error';
}

/** Sends an event to the handler; a throwing handler is ignored (it must not break the log). */
export function emit(handler: AuditEventHandler, event: AuditEvent): void {
  try {
    handler(event);
  } catch {
    // Reporting must never turn into a failure of the request or of the log.
  }
}

/**
 * The error of an entry that could not be made durable: a retryable `TEMPORARILY_UNAVAILABLE`
 * (503 over HTTP), whatever the sink threw. The request it belongs to is refused.
 */
export function unwritable(seq: number, error: unknown): LogbookError {
  const detail = codeOf(error);
  return new LogbookError('TEMPORARILY_UNAVAILABLE', `[koa] Audit entry ${seq} could not be written (${detail}); the request is refused until the audit log is writable again.`, { cause: error });
}
