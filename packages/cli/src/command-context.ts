import type { Logbook, LogbookConfig } from '@logbook/core';
import type { CliIo } from './io.js';
import type { OpenMode } from './open-logbook.js';

/** The options every command accepts (`logbook [--tracking-uri <uri>] [--json] <command>`). */
export interface GlobalOptions {
  /** Overrides the configured tracking URI. */
  readonly trackingUri?: string;
  /** Print JSON instead of tables. */
  readonly json?: boolean;
}

/**
 * What a command's action gets: the global options (read after parsing), a way to open the
 * configured logbook for the duration of the action, and one way to print results. The store
 * packages are loaded by the first call that needs them, never when the program is built.
 */
export class CommandContext {
  constructor(
    readonly io: CliIo,
    private readonly globals: () => GlobalOptions,
  ) {}

  /** True when `--json` was given. */
  get json(): boolean {
    return this.globals().json === true;
  }

  /** The configuration the command reads (`loadConfig` with `--tracking-uri` on top). */
  async config(): Promise<LogbookConfig> {
    const { cliConfig } = await import('./open-logbook.js');
    return cliConfig(this.globals().trackingUri, this.io);
  }

  /**
   * Opens the configured logbook, runs `action` with it, and closes it whatever happens. `read`
   * (the default) opens a SQLite database read-only; only commands that change runs pass `write`.
   */
  async withLogbook<T>(action: (logbook: Logbook) => Promise<T>, mode: OpenMode = 'read'): Promise<T> {
    const { openLogbook } = await import('./open-logbook.js');
    const logbook = await openLogbook(await this.config(), this.io, mode);
    try {
      return await action(logbook);
    } finally {
      await logbook.close();
    }
  }

  /** Prints `data` as JSON with `--json`, else the text that `render` builds from it. */
  print<T>(data: T, render: (data: T) => string): void {
    this.io.stdout(this.json ? `${JSON.stringify(data, null, 2)}\n` : render(data));
  }
}
