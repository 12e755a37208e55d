import { createReadStream } from 'node:fs';
import { mkdir, open, stat } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { createInterface } from 'node:readline';
import type { AuditEntry, AuditSink } from './types.js';

/** Options of {@link JsonlAuditSink}. */
export interface JsonlAuditSinkOptions {
  /** The file; created (with its folder) when missing, only ever appended to. */
  readonly path: string;
  /** fsync after every entry, so an acknowledged write survives a crash. @default true */
  readonly fsync?: boolean;
}

/** Audit entries as JSON lines in one append-only file (opened `a`, mode 0600). */
export class JsonlAuditSink implements AuditSink {
  readonly #path: string;
  readonly #fsync: boolean;
  #handle: Promise<FileHandle> | undefined;

  constructor(options: JsonlAuditSinkOptions) {
    this.#path = options.path;
    this.#fsync = options.fsync ?? true;
  }

  #file(): Promise<FileHandle> {
    this.#handle ??= mkdir(dirname(this.#path), { recursive: true }).then(() => open(this.#path, 'a', 0o600));
    return this.#handle;
  }

  async last(): Promise<AuditEntry | undefined> {
    let last: AuditEntry | undefined;
    for await (const entry of this.entries()) last = entry;
    return last;
  }

  async append(entry: AuditEntry): Promise<void> {
    const handle = await this.#file();
    await handle.appendFile(`${JSON.stringify(entry)}\n`, 'utf8');
    if (this.#fsync) await handle.datasync();
  }

  async *entries(): AsyncIterable<AuditEntry> {
    const exists = await stat(this.#path).then(() => true, () => false);
    if (!exists) return;
    const lines = createInterface({ input: createReadStream(this.#path, 'utf8'), crlfDelay: Infinity });
    for await (const line of lines) {
      if (line.trim() !== '') yield JSON.parse(line) as AuditEntry;
    }
  }

  async close(): Promise<void> {
    const handle = this.#handle;
    this.#handle = undefined;
    if (handle !== undefined) await (await handle).close();
  }
}
