import { randomUUID } from 'node:crypto';
import type { RegistryAuditSink, RegistryChange } from '@logbook/core';
import type { AuditLog } from './audit-log.js';

/**
 * core's {@link RegistryAuditSink} over the hash-chained {@link AuditLog}: each registry change
 * becomes one `success` entry (actor, action, target, time, before/after, `detail.source`) in the
 * same chain as the router's request entries, so `verifyAuditLog` covers library, CLI and REST
 * changes alike. The change is already made when it arrives: an entry that cannot be written is
 * kept and written before the next one (`AuditLog.recordOutcome`), never thrown at the caller.
 *
 * @example
 * ```ts
 * const audit = await AuditLog.open(new JsonlAuditSink({ path: './audit.jsonl' }), { key });
 * const logbook = await createLogbook(config, { registryAudit: { sink: new AuditLogRegistrySink(audit), actor: 'trainer' } });
 * ```
 */
export class AuditLogRegistrySink implements RegistryAuditSink {
  readonly #log: AuditLog;
  readonly #ownsLog: boolean;

  /** @param options.ownsLog - `close()` closes the log too (the CLI's own log). @default false */
  constructor(log: AuditLog, options: { readonly ownsLog?: boolean } = {}) {
    this.#log = log;
    this.#ownsLog = options.ownsLog === true;
  }

  /** Closes the log when the sink owns it; otherwise leaves it to its owner. */
  async close(): Promise<void> {
    if (this.#ownsLog) await this.#log.close();
  }

  async record(change: RegistryChange): Promise<void> {
    const time = new Date(change.time);
    await this.#log.recordOutcome(
      {
        requestId: change.requestId ?? `${change.source}-${randomUUID()}`,
        actor: change.actor,
        action: change.action,
        target: change.target,
        outcome: 'success',
        detail: { source: change.source },
        ...(change.before === undefined ? {} : { before: change.before }),
        ...(change.after === undefined ? {} : { after: change.after }),
      },
      Number.isNaN(time.getTime()) ? undefined : time,
    );
  }
}
