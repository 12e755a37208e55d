/**
 * The last N lines of a child's output, with secrets replaced by `***` before a line is stored,
 * so nothing read back from {@link LogBuffer.lines} can leak a password.
 */
export class LogBuffer {
  private readonly buffer: string[] = [];
  private readonly secrets = new Set<string>();
  private partial = '';

  constructor(private readonly capacity: number) {}

  /** Registers a value to redact from every later line (and from lines already stored). */
  addSecret(secret: string | undefined): void {
    if (secret === undefined || secret.length < 3) return;
    this.secrets.add(secret);
    for (let i = 0; i < this.buffer.length; i++) this.buffer[i] = this.redact(this.buffer[i]!);
  }

  /** Appends raw output; splits on newlines, keeping an unfinished line for the next chunk. */
  write(chunk: Buffer | string): void {
    const text = this.partial + chunk.toString();
    const parts = text.split(/\r?\n/);
    this.partial = parts.pop() ?? '';
    for (const line of parts) this.push(line);
  }

  /** Stored lines, oldest first (a pending partial line included). */
  lines(): string[] {
    return this.partial === '' ? [...this.buffer] : [...this.buffer, this.redact(this.partial)];
  }

  /** Replaces every registered secret, and any `scheme://user:password@` credentials, with `***`. */
  redact(line: string): string {
    let out = line.replace(/(\/\/[^:/@\s]+:)[^@\s/]+@/g, '$1***@');
    for (const secret of this.secrets) out = out.split(secret).join('***');
    return out;
  }

  private push(line: string): void {
    this.buffer.push(this.redact(line));
    if (this.buffer.length > this.capacity) this.buffer.splice(0, this.buffer.length - this.capacity);
  }
}
