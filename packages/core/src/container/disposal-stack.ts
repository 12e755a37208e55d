import { LogbookError } from '../errors.js';

/** Something with an asynchronous `dispose()` (tsyringe's `Disposable`, awaited). */
export interface AsyncDisposable {
  dispose(): Promise<void> | void;
}

/**
 * Resources in order of creation, disposed in reverse: what was made last (the batching logger,
 * which writes into the stores) goes first, the stores it writes into after it. Every resource is
 * disposed even when an earlier one fails; `dispose()` runs once however often it is called.
 */
export class DisposalStack {
  private readonly entries: { readonly name: string; readonly dispose: () => Promise<void> | void }[] = [];
  private disposing: Promise<void> | undefined;

  /** Adds a resource to dispose of before everything added earlier. */
  defer(name: string, dispose: () => Promise<void> | void): void {
    if (this.disposing !== undefined) throw new LogbookError('INVALID_STATE', `[core] Cannot add '${name}': the logbook is closing.`);
    this.entries.push({ name, dispose });
  }

  /**
   * Disposes every resource, last added first, each awaited before the next. Rejects after all are
   * done when any failed: with that error when one did, otherwise with a LogbookError naming them.
   */
  dispose(): Promise<void> {
    this.disposing ??= (async () => {
      const failures: { readonly name: string; readonly error: unknown }[] = [];
      for (const entry of [...this.entries].reverse()) {
        try {
          await entry.dispose();
        } catch (error) {
          failures.push({ name: entry.name, error });
        }
      }
      if (failures.length === 1) throw failures[0]!.error;
      if (failures.length > 1) {
        const names = failures.map((f) => f.name).join(', ');
        throw new LogbookError('INTERNAL_ERROR', `[core] Closing failed for ${names}.`, { cause: new AggregateError(failures.map((f) => f.error)) });
      }
    })();
    return this.disposing;
  }
}
