import { appendFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JsonlAuditSink } from '../../src/index.js';
import type { AuditDamage, AuditEntry, AuditHead, AuditRecordInput, AuditSink } from '../../src/index.js';

export const input = (i: number): AuditRecordInput => ({ requestId: `req-${i}`, actor: 'key:ci', authMethod: 'api-key', action: 'run.log_batch', target: `run:${i}`, outcome: 'success', status: 200 });
export const tempFile = (): string => join(mkdtempSync(join(tmpdir(), 'audit-')), 'audit.jsonl');
export const KEY = 'k'.repeat(16) + '-host-held-audit-key-0123456789';

/**
 * A real JSON-lines sink whose appends fail on demand the way a full disk fails them: the first
 * `tornBytes` bytes of the line reach the file, then the write throws ENOSPC.
 */
export class FullDiskSink implements AuditSink {
  readonly inner: JsonlAuditSink;
  /** Decides, per entry, whether its append fails. */
  failWhen: (entry: AuditEntry) => boolean = () => false;
  tornBytes = 40;
  failures = 0;

  constructor(readonly path: string) {
    this.inner = new JsonlAuditSink({ path });
  }

  last(): Promise<AuditEntry | undefined> {
    return this.inner.last();
  }
  head(): Promise<AuditHead | undefined> {
    return this.inner.head();
  }
  damage(): Promise<AuditDamage | undefined> {
    return this.inner.damage();
  }
  entries(options?: { readonly skipDamage?: boolean }): AsyncIterable<AuditEntry> {
    return this.inner.entries(options);
  }
  close(): Promise<void> {
    return this.inner.close();
  }

  async append(entry: AuditEntry, head?: AuditHead): Promise<void> {
    if (this.failWhen(entry)) {
      this.failures += 1;
      appendFileSync(this.path, JSON.stringify(entry).slice(0, this.tornBytes));
      throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    }
    await this.inner.append(entry, head);
  }
}
