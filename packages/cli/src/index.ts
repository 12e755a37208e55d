export { run } from './run.js';
export { ExitCode, CliError } from './exit-codes.js';
export { exitCodeFor } from './exit-code-for.js';
export type { ExitCodeValue } from './exit-codes.js';
export type { CliIo } from './io.js';
export { processIo } from './io.js';
export { buildProgram } from './program.js';
