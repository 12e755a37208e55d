/**
 * Where the CLI reads its environment and writes its output. `bin.ts` passes the process's;
 * tests pass buffers, so every command runs in-process.
 */
export interface CliIo {
  /** Receives each piece of standard output (already newline-terminated). */
  readonly stdout: (text: string) => void;
  /** Receives each piece of error output (already newline-terminated). */
  readonly stderr: (text: string) => void;
  /** @default process.env */
  readonly env?: NodeJS.ProcessEnv;
  /** Folder that relative paths and `logbook.config.json` are resolved against. @default process.cwd() */
  readonly cwd?: string;
  /** True when error output is a terminal (progress bars redraw in place). @default false */
  readonly stderrIsTTY?: boolean;
}

/** The {@link CliIo} of the running process. */
export function processIo(): CliIo {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    stderrIsTTY: process.stderr.isTTY === true,
  };
}
