/** The part of `process` the exit drain uses; tests pass an EventEmitter-based fake. */
export interface ExitProcess {
  readonly pid: number;
  on(event: 'beforeExit' | NodeJS.Signals, listener: (...args: unknown[]) => void): unknown;
  removeListener(event: 'beforeExit' | NodeJS.Signals, listener: (...args: unknown[]) => void): unknown;
  listenerCount(event: 'beforeExit' | NodeJS.Signals): number;
  kill(pid: number, signal?: NodeJS.Signals): unknown;
}

/** Something that can be drained before the process exits. */
export interface Drainable {
  drain(): Promise<void>;
  /** Called when the drain time is up: hand what is left on (the spool), or report it. */
  abandon?(): Promise<void>;
}

const SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM'];

/** The handlers installed on one process object, shared by every registered drainable. */
class ExitRegistry {
  readonly members = new Set<Drainable>();
  private installed = false;
  private signalled = false;
  private readonly onBeforeExit = (): void => {
    void this.drainAll();
  };
  private readonly onSignal = (signal: unknown): void => {
    void this.handleSignal(signal as NodeJS.Signals);
  };

  constructor(
    private readonly proc: ExitProcess,
    private readonly timeoutMs: number,
  ) {}

  install(): void {
    if (this.installed) return;
    this.installed = true;
    this.proc.on('beforeExit', this.onBeforeExit);
    for (const s of SIGNALS) this.proc.on(s, this.onSignal);
  }

  uninstall(): void {
    if (!this.installed) return;
    this.installed = false;
    this.proc.removeListener('beforeExit', this.onBeforeExit);
    for (const s of SIGNALS) this.proc.removeListener(s, this.onSignal);
  }

  /**
   * Drains every member for at most `timeoutMs` (this timer, and only it, keeps the process alive
   * meanwhile); members not done by then abandon what is left (spool it or report it).
   */
  private async drainAll(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), this.timeoutMs);
    });
    const members = [...this.members];
    const done = new Set<Drainable>();
    const drains = Promise.allSettled(members.map((m) => m.drain().finally(() => done.add(m))));
    const outcome = await Promise.race([drains, timeout]);
    clearTimeout(timer);
    if (outcome !== 'timeout') return;
    await Promise.allSettled(members.filter((m) => !done.has(m)).map((m) => m.abandon?.() ?? Promise.resolve()));
  }

  /**
   * Drains, then gives the signal its default behaviour back: our handlers are removed and, when
   * nobody else listens for it, the signal is raised again so the process ends as it would have.
   * A second signal during the drain skips the wait.
   */
  private async handleSignal(signal: NodeJS.Signals): Promise<void> {
    if (!this.signalled) {
      this.signalled = true;
      await this.drainAll();
    }
    this.uninstall();
    if (this.proc.listenerCount(signal) === 0) this.proc.kill(this.proc.pid, signal);
  }
}

const registries = new WeakMap<ExitProcess, ExitRegistry>();

/**
 * Drains `member` on `beforeExit`, SIGINT and SIGTERM of `proc`. The handlers are installed once
 * per process object, whatever the number of members, and removed when the last member leaves.
 * @returns a function that unregisters `member`; calling it twice is harmless.
 */
export function registerExitDrain(proc: ExitProcess, member: Drainable, timeoutMs: number): () => void {
  let registry = registries.get(proc);
  if (registry === undefined) {
    registry = new ExitRegistry(proc, timeoutMs);
    registries.set(proc, registry);
  }
  registry.members.add(member);
  registry.install();
  const owner = registry;
  return () => {
    owner.members.delete(member);
    if (owner.members.size === 0) {
      owner.uninstall();
      registries.delete(proc);
    }
  };
}
