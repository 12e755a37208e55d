import { isLogbookError } from '@logbook/core';
import { MlflowServer, locateMlflowBinary } from '@logbook/mlflow';
import type { ArtifactStorageConfig } from '@logbook/mlflow';
import { CliError, ExitCode } from '../exit-codes.js';
import type { CliIo } from '../io.js';
import type { StartPlan } from './start-options.js';

const SIGNALS = ['SIGINT', 'SIGTERM'] as const;

/** The `mlflow` executable, or exit 4 saying how to install one. */
function mlflowBinary(env: NodeJS.ProcessEnv, cwd: string): string {
  try {
    return locateMlflowBinary(undefined, env, cwd);
  } catch (error) {
    if (!isLogbookError(error)) throw error;
    throw new CliError(
      `[cli] Cannot start an MLflow server: ${error.message.replace(/^\[mlflow\] /, '')}\n` +
        'Run `bash scripts/setup-python.sh` (installs the pinned mlflow into .cache/venv) or set LOGBOOK_MLFLOW_BIN to an mlflow executable.',
      ExitCode.BACKEND_UNAVAILABLE,
    );
  }
}

function describeArtifacts(artifacts: ArtifactStorageConfig): string {
  return artifacts.kind === 'local' ? artifacts.directory : `s3://${artifacts.bucket}${artifacts.prefix === undefined ? '' : `/${artifacts.prefix}`}`;
}

/**
 * Starts a supervised `mlflow server` as `plan` says, prints where it listens and its version,
 * and stays in the foreground until SIGINT or SIGTERM, then stops the whole process group and
 * resolves. Restarts are reported on stderr; if the supervisor gives up, rejects (exit 4).
 * Passwords and keys are never printed.
 */
export async function runServer(plan: StartPlan, io: CliIo, json: boolean): Promise<void> {
  const env = io.env ?? process.env;
  const server = new MlflowServer({
    mlflowBin: mlflowBinary(env, io.cwd ?? process.cwd()),
    environment: plan.environment,
    ...(plan.workers === undefined ? {} : { workers: plan.workers }),
  });
  server.setupDatabaseBackend(plan.backendStoreUri).configureArtifactStore(plan.artifacts);
  if (plan.auth !== undefined) server.configureAuthentication(plan.auth);

  let signalled: NodeJS.Signals | undefined;
  let wake!: (failed: boolean) => void;
  const ended = new Promise<boolean>((r) => (wake = r));
  const onSignal = (signal: NodeJS.Signals) => {
    // A second Ctrl-C while stopping changes nothing: stop() already escalates to SIGKILL.
    if (signalled !== undefined) return;
    signalled = signal;
    io.stderr(`[cli] ${signal}: stopping the MLflow server…\n`);
    wake(false);
  };
  for (const s of SIGNALS) process.on(s, onSignal);
  server.on('restarted', (n) => io.stderr(`[cli] The MLflow server died and was restarted (restart ${n}).\n`));
  server.on('failed', (n) => {
    io.stderr(`[cli] The MLflow server keeps dying; gave up after ${n} restarts. Last output:\n${server.logs().slice(-15).join('\n')}\n`);
    wake(true);
  });
  try {
    // A signal during startup stops the starting child: startTrackingServer then rejects.
    const starting = server.startTrackingServer(plan.host, plan.port);
    void ended.then(() => server.stop());
    let uri: string;
    try {
      uri = await starting;
    } catch (error) {
      if (signalled !== undefined) return;
      throw error;
    }
    const status = await server.status();
    if (json) io.stdout(`${JSON.stringify({ ...status, artifactsDestination: describeArtifacts(plan.artifacts) })}\n`);
    else {
      io.stdout(`MLflow tracking server running at ${uri}\n`);
      io.stdout(`version ${status.version ?? 'unknown'}, pid ${status.pid ?? '?'}, ${plan.environment}, authentication ${status.authentication ? 'on' : 'off'}\n`);
      io.stdout(`backend store ${status.backendStoreUri ?? '?'}, artifacts ${describeArtifacts(plan.artifacts)}\n`);
      io.stdout('Press Ctrl-C to stop.\n');
    }
    const failed = await ended;
    await server.stop();
    if (failed) throw new CliError('[cli] The MLflow server could not be kept running.', ExitCode.BACKEND_UNAVAILABLE);
    io.stdout('MLflow server stopped.\n');
  } finally {
    for (const s of SIGNALS) process.off(s, onSignal);
    await server.stop();
  }
}
