/**
 * The `logbook` command's exit codes (documented in the package README). This file loads nothing
 * but itself: every command imports it, `--version` included.
 */
export const ExitCode = {
  /** The command did what was asked. */
  OK: 0,
  /** Anything not covered below: a bug, or a backend error with no better code. */
  UNEXPECTED: 1,
  /** Bad command line or configuration: unknown command or option, bad value, bad filter. */
  USAGE: 2,
  /** An experiment, run, metric or model that does not exist. */
  NOT_FOUND: 3,
  /**
   * The store cannot be used: no database file, an empty, corrupt or foreign file, a folder,
   * server unreachable, schema too new (or too old to read without migrating), no backend for the URI.
   */
  BACKEND_UNAVAILABLE: 4,
  /**
   * The command does not apply to the thing's current state: `runs end` on a run that is not
   * RUNNING; `models register` of bytes or a semver already registered; live metrics for a version
   * not deployed in that environment; `models download` of a version registered from a URI.
   */
  CONFLICT: 5,
  /** `logbook sync` finished, but some entity failed or conflicted (listed in its summary). */
  SYNC_INCOMPLETE: 6,
} as const;

/** One of the values of {@link ExitCode}. */
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

/** An error the CLI raises itself, with the exit code it ends with. */
export class CliError extends Error {
  override readonly name = 'CliError';

  constructor(
    message: string,
    readonly exitCode: ExitCodeValue,
  ) {
    super(message);
  }
}
