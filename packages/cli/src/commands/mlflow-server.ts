import type { Command } from 'commander';
import type { CommandContext } from '../command-context.js';
import { CliError, ExitCode } from '../exit-codes.js';
import type { ServerProbe } from '../mlflow-server/probe-server.js';
import type { StartFlags } from '../mlflow-server/start-options.js';

/**
 * `logbook mlflow-server start|status`: run a supervised MLflow tracking server in the foreground,
 * or check one (reachability, version, latency).
 */
export function registerMlflowServerCommands(program: Command, context: CommandContext): void {
  const group = program.command('mlflow-server').description('run or check an MLflow tracking server');

  group
    .command('start')
    .description('start a supervised MLflow server and keep it running until Ctrl-C / SIGTERM')
    .option('--host <host>', 'interface to listen on (default 127.0.0.1)')
    .option('--port <port>', 'port to listen on (default 5000)')
    .option('--backend-store-uri <url>', 'postgresql://, mysql:// or sqlite:/// URL (default: databaseUrl from the configuration, else ./mlflow.db)')
    .option('--artifacts-destination <dir|s3-url>', 'folder or s3://bucket/prefix the server proxies artifacts to (default: the configured s3 / artifactRoot, else ./mlartifacts)')
    .option('--workers <n>', 'uvicorn workers (default: from --env: development 1, staging 2, production 4)')
    .option('--auth', 'run the basic-auth app; the admin is the configured tracking username/password (default: authenticationEnabled)')
    .option('--env <environment>', 'development, staging or production (default: the configured environment)')
    .action(async (flags: StartFlags) => {
      // @logbook/mlflow (and undici) load only when this command runs.
      const { resolveStartPlan } = await import('../mlflow-server/start-options.js');
      const { runServer } = await import('../mlflow-server/run-server.js');
      const cwd = context.io.cwd ?? process.cwd();
      const plan = resolveStartPlan(flags, await context.config(), context.io.env ?? process.env, cwd);
      await runServer(plan, context.io, context.json);
    });

  group
    .command('status')
    .description('check the tracking server (--tracking-uri or the configured one): /health, /version, latency')
    .option('--timeout <ms>', 'per request (default 5000)')
    .action(async (flags: { timeout?: string }) => {
      const config = await context.config();
      const timeoutMs = Number(flags.timeout ?? '5000');
      if (!Number.isSafeInteger(timeoutMs) || timeoutMs <= 0) throw new CliError(`[cli] --timeout must be a positive number of milliseconds; got '${flags.timeout}'.`, ExitCode.USAGE);
      let base: URL | undefined;
      try {
        base = new URL(config.trackingUri);
      } catch {
        base = undefined;
      }
      if (base === undefined || !/^https?:$/.test(base.protocol)) {
        throw new CliError(`[cli] --tracking-uri must be an http(s):// MLflow server for mlflow-server status; got '${config.trackingUri.replace(/\/\/[^@/]*@/, '//***@')}'.`, ExitCode.USAGE);
      }
      const { probeServer } = await import('../mlflow-server/probe-server.js');
      const result = await probeServer(base, config.credentials, timeoutMs);
      context.print(result, renderProbe);
      if (!result.healthy) {
        throw new CliError(`[cli] The MLflow server at ${result.uri} is ${result.reachable ? 'not healthy' : 'unreachable'} (${result.error}).`, ExitCode.BACKEND_UNAVAILABLE);
      }
    });
}

function renderProbe(p: ServerProbe): string {
  const lines = [
    `server     ${p.uri}`,
    `reachable  ${p.reachable ? 'yes' : 'no'}`,
    `healthy    ${p.healthy ? 'yes' : 'no'}`,
    ...(p.version === undefined ? [] : [`version    ${p.version}`]),
    ...(p.latencyMs === undefined ? [] : [`latency    ${p.latencyMs} ms`]),
    ...(p.error === undefined ? [] : [`error      ${p.error}`]),
  ];
  return `${lines.join('\n')}\n`;
}
