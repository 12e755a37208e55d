import { resolve } from 'node:path';
import { createLogbook } from '@logbook/core';
import { listenMlflowApi } from '@logbook/koa/mlflow-api';
import type { CommandContext } from '../command-context.js';
import { CliError, ExitCode } from '../exit-codes.js';
import { serveAuthOf } from './serve-auth.js';
import type { ServeAuthFlags } from './serve-auth.js';

/** Flags of `logbook serve`. */
export interface ServeFlags extends ServeAuthFlags {
  readonly host?: string;
  readonly port?: string;
  readonly artifactsDestination?: string;
}

const SIGNALS = ['SIGINT', 'SIGTERM'] as const;

function portOf(flag: string | undefined): number {
  const port = Number(flag ?? '5000');
  if (!Number.isSafeInteger(port) || port < 0 || port > 65_535) throw new CliError(`[cli] --port must be a port number (0-65535); got '${flag}'.`, ExitCode.USAGE);
  return port;
}

/** A local folder becomes an absolute path; a URI (`file:`, `s3:`) is kept. */
function destinationOf(flag: string | undefined, cwd: string): string | undefined {
  if (flag === undefined) return undefined;
  return /^[a-zA-Z][a-zA-Z0-9+.-]+:/.test(flag) && !/^[a-zA-Z]:[\\/]/.test(flag) ? flag : resolve(cwd, flag);
}

/**
 * Opens the configured logbook for writing (a SQLite database is created if missing), answers
 * MLflow's REST API on host:port, and on SIGINT/SIGTERM stops accepting, waits for requests in
 * flight, then flushes and closes the stores.
 */
export async function serveAction(flags: ServeFlags, context: CommandContext): Promise<void> {
  const { io } = context;
  const cwd = io.cwd ?? process.cwd();
  const port = portOf(flags.port);
  const host = flags.host ?? '127.0.0.1';
  const { auth, closed } = serveAuthOf(flags, io.env ?? process.env);
  const base = await context.config();
  const artifactRoot = destinationOf(flags.artifactsDestination, cwd);
  // The server owns shutdown: it stops accepting, then closes (and so flushes) the logbook itself.
  const config = { ...base, logging: { ...base.logging, drainOnExit: false }, ...(artifactRoot !== undefined && { artifactRoot }) };
  if (/^https?:/i.test(config.trackingUri)) await import('@logbook/mlflow');
  // With `auditLog` configured, every registry change an MLflow client makes is recorded there, by
  // the authenticated user (loaded only then: the audit log is not on the fast start-up path).
  const registryAudit = config.auditLog === undefined ? undefined : await (await import('../open-logbook.js')).openRegistryAuditLog(config, io);
  const logbook = await createLogbook(config, { ...(io.env === undefined ? {} : { env: io.env }), cwd }).catch(async (error: unknown) => {
    await registryAudit?.close();
    throw error;
  });
  let server;
  try {
    // Bound to loopback by default: without auth flags the API is open to whoever can reach the port.
    server = await listenMlflowApi({ logbook, host, port, auth, ...(registryAudit && { registryAudit }) });
  } catch (error) {
    await logbook.close();
    await registryAudit?.close();
    const code = (error as { code?: unknown }).code;
    if (code === 'EADDRINUSE' || code === 'EACCES') throw new CliError(`[cli] Cannot listen on ${host}:${port}: ${code}.`, ExitCode.BACKEND_UNAVAILABLE);
    throw error;
  }
  let wake!: (signal: NodeJS.Signals) => void;
  const stopped = new Promise<NodeJS.Signals>((r) => (wake = r));
  // Never removed: core's own exit hook re-raises a signal nobody else listens to, which would end
  // the process before the stores are closed. A second signal while stopping changes nothing.
  for (const s of SIGNALS) process.on(s, wake);
  try {
    if (context.json) io.stdout(`${JSON.stringify({ url: server.url, port: server.port, auth: closed, trackingUri: config.trackingUri.replace(/\/\/[^@/]*@/, '//***@'), pid: process.pid })}\n`);
    else
      io.stdout(
        `Logbook serving MLflow's REST API at ${server.url} (store ${config.trackingUri.replace(/\/\/[^@/]*@/, '//***@')}${closed ? ', authentication required' : ''}). Press Ctrl-C to stop.\n`,
      );
    const signal = await stopped;
    io.stderr(`[cli] ${signal}: stopping; flushing and closing the store…\n`);
  } finally {
    await server.close();
    await logbook.close();
    await registryAudit?.close();
  }
  io.stdout('Logbook server stopped.\n');
}
