import { mkdir, open, readFile, rename, stat } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { LogbookError } from '@logbook/core';
import { walkJsonl } from './jsonl-walk.js';
import type { AuditDamage, AuditEntry, AuditHead, AuditSink } from './types.js';

/** Options of {@link JsonlAuditSink}. */
export interface JsonlAuditSinkOptions {
  /** The file; created (with its folder) when missing, only ever appended to. */
  readonly path: string;
  /**
   * The head record (last sequence number and hash), replaced atomically (write, fsync, rename)
   * after every entry. @default `${path}.head`
   */
  readonly headPath?: string;
  /** fsync after every entry, so an acknowledged write survives a crash. @default true */
  readonly fsync?: boolean;
}

interface Scan {
  readonly last?: AuditEntry;
  readonly damage?: AuditDamage;
}

/** A sink error as a LogbookError: a full disk or any other I/O failure is a retryable 503. */
function ioError(what: string, error: unknown): LogbookError {
  const code = (error as { code?: unknown }).code;
  return new LogbookError('TEMPORARILY_UNAVAILABLE', `[koa] Cannot ${what} the audit log${typeof code === 'string' ? ` (${code})` : ''}.`, { cause: error });
}

/**
 * Audit entries as JSON lines in one append-only file (opened `a`, mode 0600), and a head record
 * in a second file. A write cut short (full disk, crash) leaves a torn tail: it is never written
 * onto; the next append starts on a new line, and {@link AuditSink.damage} reports the torn bytes
 * so that the log can fence them with an entry naming their offset, length and hash.
 */
export class JsonlAuditSink implements AuditSink {
  readonly #path: string;
  readonly #headPath: string;
  readonly #fsync: boolean;
  #handle: Promise<FileHandle> | undefined;
  #scan: Promise<Scan> | undefined;
  /** Whether the file ends in a newline; `undefined` after a failed append (unknown). */
  #endsClean: boolean | undefined;

  constructor(options: JsonlAuditSinkOptions) {
    this.#path = options.path;
    this.#headPath = options.headPath ?? `${options.path}.head`;
    this.#fsync = options.fsync ?? true;
  }

  #file(): Promise<FileHandle> {
    if (this.#handle === undefined) {
      const handle = mkdir(dirname(this.#path), { recursive: true }).then(() => open(this.#path, 'a', 0o600));
      // A failed open is retried on the next append rather than cached.
      handle.catch(() => {
        if (this.#handle === handle) this.#handle = undefined;
      });
      this.#handle = handle;
    }
    return this.#handle;
  }

  async #read(): Promise<Scan> {
    // Whoever reads the end of the log again expects the file as it is: probe its last byte anew.
    this.#endsClean = undefined;
    const exists = await stat(this.#path).then(
      () => true,
      (error: unknown) => {
        if ((error as { code?: unknown }).code === 'ENOENT') return false;
        throw ioError('read', error);
      },
    );
    if (!exists) return {};
    let last: AuditEntry | undefined;
    let damage: AuditDamage | undefined;
    try {
      for await (const item of walkJsonl(this.#path)) {
        if (item.kind === 'entry') last = item.entry;
        else if (item.next !== undefined) last = item.next;
        else damage = item.damage;
      }
    } catch (error) {
      throw ioError('read', error);
    }
    return { ...(last !== undefined && { last }), ...(damage !== undefined && { damage }) };
  }

  /** Reads the file anew; `damage()` right after it reuses that reading. */
  async last(): Promise<AuditEntry | undefined> {
    this.#scan = this.#read();
    return (await this.#scan).last;
  }

  /** Reuses the reading of a `last()` just before (once), else reads the file anew. */
  async damage(): Promise<AuditDamage | undefined> {
    const scan = this.#scan ?? this.#read();
    this.#scan = undefined;
    return (await scan).damage;
  }

  async head(): Promise<AuditHead | undefined> {
    let text: string;
    try {
      text = await readFile(this.#headPath, 'utf8');
    } catch (error) {
      if ((error as { code?: unknown }).code === 'ENOENT') return undefined;
      throw ioError('read the head of', error);
    }
    try {
      return JSON.parse(text) as AuditHead;
    } catch (error) {
      throw new LogbookError('DATA_LOSS', '[koa] The audit head record is not valid JSON.', { cause: error });
    }
  }

  async append(entry: AuditEntry, head?: AuditHead): Promise<void> {
    try {
      const handle = await this.#file();
      this.#endsClean ??= await this.#endsInNewline(handle);
      this.#scan = undefined;
      const line = `${this.#endsClean ? '' : '\n'}${JSON.stringify(entry)}\n`;
      this.#endsClean = undefined;
      await handle.appendFile(line, 'utf8');
      if (this.#fsync) await handle.datasync();
      this.#endsClean = true;
    } catch (error) {
      throw ioError('append to', error);
    }
    if (head !== undefined) await this.#writeHead(head);
  }

  async #endsInNewline(handle: FileHandle): Promise<boolean> {
    const { size } = await handle.stat();
    if (size === 0) return true;
    const byte = Buffer.alloc(1);
    const probe = await open(this.#path, 'r');
    try {
      await probe.read(byte, 0, 1, size - 1);
    } finally {
      await probe.close();
    }
    return byte[0] === 0x0a;
  }

  async #writeHead(head: AuditHead): Promise<void> {
    const temporary = `${this.#headPath}.tmp`;
    try {
      const handle = await open(temporary, 'w', 0o600);
      try {
        await handle.writeFile(`${JSON.stringify(head)}\n`, 'utf8');
        if (this.#fsync) await handle.datasync();
      } finally {
        await handle.close();
      }
      await rename(temporary, this.#headPath);
    } catch (error) {
      throw ioError('write the head of', error);
    }
  }

  /** Every entry in order; fenced damage is skipped, damage no fence names is a `DATA_LOSS` error. */
  async *entries(options: { readonly skipDamage?: boolean } = {}): AsyncIterable<AuditEntry> {
    const exists = await stat(this.#path).then(
      () => true,
      () => false,
    );
    if (!exists) return;
    for await (const item of walkJsonl(this.#path)) {
      if (item.kind === 'entry') yield item.entry;
      else if (item.next !== undefined && options.skipDamage === true) yield item.next;
      else if (item.next !== undefined) {
        const { offset, bytes } = item.damage;
        throw new LogbookError('DATA_LOSS', `[koa] Unreadable audit data at byte offset ${offset} (${bytes} bytes) that no fence entry names, before seq ${item.next.seq}.`);
      }
    }
  }

  async close(): Promise<void> {
    const handle = this.#handle;
    this.#handle = undefined;
    this.#scan = undefined;
    if (handle !== undefined) await (await handle.catch(() => undefined))?.close();
  }
}
