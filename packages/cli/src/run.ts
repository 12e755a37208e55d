import { CommanderError } from 'commander';
import { ExitCode } from './exit-codes.js';
import type { ExitCodeValue } from './exit-codes.js';
import { processIo } from './io.js';
import type { CliIo } from './io.js';
import { buildProgram } from './program.js';

/**
 * Runs the `logbook` command with `argv` (the arguments after the program name) and resolves
 * with its exit code (see {@link ExitCode}); never throws and never calls `process.exit`.
 * Loads only commander and the command table up front; each command loads its backend (and
 * `@logbook/core`) when it runs, so `--version` and `--help` stay fast.
 *
 * @example
 * ```ts
 * const out: string[] = [];
 * const code = await run(['runs', 'show', runId, '--json'], { stdout: (s) => out.push(s), stderr: () => {} });
 * ```
 */
export async function run(argv: readonly string[], io: CliIo = processIo()): Promise<ExitCodeValue> {
  try {
    await buildProgram(io).parseAsync([...argv], { from: 'user' });
    return ExitCode.OK;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander already printed its message (or the help / version that was asked for).
      return error.exitCode === 0 ? ExitCode.OK : ExitCode.USAGE;
    }
    const { exitCodeFor } = await import('./exit-code-for.js');
    const code = exitCodeFor(error);
    const message = error instanceof Error ? error.message : String(error);
    io.stderr(code === ExitCode.UNEXPECTED && error instanceof Error && error.stack ? `${error.stack}\n` : `${message}\n`);
    return code;
  }
}
