import type { Command } from 'commander';
import type { CommandContext } from '../command-context.js';
import type { ServeFlags } from './serve-action.js';

/**
 * `logbook serve`: MLflow's own REST API over the configured Logbook store (SQLite by default), so
 * an unchanged script with `MLFLOW_TRACKING_URI=http://127.0.0.1:5000` logs into it.
 */
export function registerServeCommands(program: Command, context: CommandContext): void {
  program
    .command('serve')
    .description("answer MLflow's REST API over the Logbook store (--tracking-uri) until Ctrl-C / SIGTERM")
    .option('--host <host>', 'interface to listen on (default 127.0.0.1)')
    .option('--port <port>', 'port to listen on; 0 picks a free one (default 5000)')
    .option('--basic-auth <user:password>', 'require HTTP basic auth (MLFLOW_TRACKING_USERNAME/PASSWORD on the client); env LOGBOOK_SERVE_BASIC_AUTH')
    .option('--bearer-token <token>', "require this bearer token (MLFLOW_TRACKING_TOKEN on the client); env LOGBOOK_SERVE_BEARER_TOKEN; one starting with '-' as --bearer-token=<token>")
    .option('--artifacts-destination <dir|uri>', 'artifact root that mlflow-artifacts:/ URIs map to (default: the configured artifactRoot, else ./artifacts beside the database)')
    .action(async (flags: ServeFlags) => {
      // @logbook/koa, koa and the stores load only when this command runs.
      const { serveAction } = await import('./serve-action.js');
      await serveAction(flags, context);
    });
}
