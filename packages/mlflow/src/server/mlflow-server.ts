import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { LogbookError } from '@logbook/core';
import type { OperationalLogger } from '@logbook/core/spi';
import { artifactServing } from './artifact-args.js';
import type { ArtifactServing } from './artifact-args.js';
import { writeAuthIni } from './auth-ini.js';
import { parseDatabaseUrl } from './database-url.js';
import type { BackendStoreUri } from './database-url.js';
import { isHealthy, probe } from './health.js';
import { locateMlflowBinary } from './locate-binary.js';
import { LogBuffer } from './log-buffer.js';
import { freePort, killOnExit, stopGroup } from './process-group.js';
import { ENVIRONMENT_PRESETS } from './types.js';
import type { ArtifactStorageConfig, AuthConfig, MlflowServerOptions, MlflowServerStatus } from './types.js';

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
/** For waits nobody awaits (restart backoff): they must not keep the process alive. */
const backgroundSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms).unref());

/** Events: `restarted` (restart count), `failed` (gave up), `exit` (code, signal) of each child. */
export interface MlflowServerEvents {
  restarted: [restarts: number];
  failed: [restarts: number];
  exit: [code: number | null, signal: NodeJS.Signals | null];
}

/**
 * Runs and supervises a real `mlflow server` child: database backend, artifact proxying, the
 * basic-auth app, health checks, restarts with exponential backoff when it dies, graceful stop of
 * the whole process group, and its recent output with secrets redacted.
 *
 * @example
 * ```ts
 * const server = new MlflowServer({ environment: 'development' })
 *   .setupDatabaseBackend('postgresql://postgres@127.0.0.1:5432/mlflow')
 *   .configureArtifactStore({ kind: 'local', directory: './mlartifacts' });
 * const uri = await server.startTrackingServer('127.0.0.1', 5000);
 * // … await server.stop();
 * ```
 */
export class MlflowServer extends EventEmitter<MlflowServerEvents> {
  private readonly bin: string;
  private readonly workers: number;
  private readonly maxRestarts: number;
  private readonly output: LogBuffer;
  private workDirPath?: string;
  private readonly ownsWorkDir: boolean;
  private readonly logger?: OperationalLogger;
  private backend?: BackendStoreUri;
  private artifacts?: ArtifactServing;
  private auth?: { readonly iniPath: string; readonly config: AuthConfig };
  private child?: ChildProcess;
  private state: MlflowServerStatus['state'] = 'stopped';
  private baseUri?: string;
  private listen?: { readonly host: string; readonly port: number };
  private restarts = 0;
  private launching = false;
  private stopping = false;

  constructor(private readonly options: MlflowServerOptions = {}) {
    super();
    const preset = ENVIRONMENT_PRESETS[options.environment ?? 'development'];
    this.bin = locateMlflowBinary(options.mlflowBin);
    this.workers = options.workers ?? preset.workers;
    this.maxRestarts = options.maxRestarts ?? preset.maxRestarts;
    this.output = new LogBuffer(options.logLines ?? 2000);
    this.ownsWorkDir = options.workDir === undefined;
    if (options.logger !== undefined) this.logger = options.logger.child({ component: 'mlflow-server' });
  }

  /** Backend store (`postgresql://`, `mysql://`, `sqlite:///`); validated now. */
  setupDatabaseBackend(databaseUrl: string): this {
    this.assertStopped('setupDatabaseBackend');
    this.backend = parseDatabaseUrl(databaseUrl);
    this.output.addSecret(this.backend.secret);
    return this;
  }

  /** Where proxied artifacts go: a local folder, or S3/R2 (credentials via the child's env). */
  configureArtifactStore(storage: ArtifactStorageConfig): this {
    this.assertStopped('configureArtifactStore');
    this.artifacts = artifactServing(storage);
    for (const secret of this.artifacts.secrets) this.output.addSecret(secret);
    return this;
  }

  /** Runs the basic-auth app; writes its ini file (owner-only) into the server's work folder. */
  configureAuthentication(auth: AuthConfig): this {
    this.assertStopped('configureAuthentication');
    this.output.addSecret(auth.adminPassword);
    this.output.addSecret(auth.secretKey);
    this.auth = { iniPath: writeAuthIni(this.workDir, auth), config: auth };
    return this;
  }

  /** The server's base URI once started, e.g. `http://127.0.0.1:5000`. */
  get uri(): string | undefined {
    return this.baseUri;
  }

  /**
   * Starts the server and resolves with its URI once `/health` answers. Port 0 picks a free port
   * (kept across restarts).
   * @throws TEMPORARILY_UNAVAILABLE with the last output lines when it does not come up.
   */
  async startTrackingServer(host = '127.0.0.1', port = 0): Promise<string> {
    this.assertStopped('startTrackingServer');
    this.stopping = false;
    this.restarts = 0;
    mkdirSync(this.workDir, { recursive: true });
    if (this.auth !== undefined) writeAuthIni(this.workDir, this.auth.config);
    this.listen = { host, port: port === 0 ? await freePort(host) : port };
    const probeHost = host === '0.0.0.0' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
    this.baseUri = `http://${probeHost}:${this.listen.port}`;
    this.state = 'starting';
    try {
      await this.launch();
    } catch (error) {
      this.state = 'stopped';
      throw error;
    }
    this.state = 'running';
    return this.baseUri;
  }

  /** State, pid, and a live `/health` + `/version` probe (each waits up to `timeoutMs`, default 5 s). */
  async status(timeoutMs = 5000): Promise<MlflowServerStatus> {
    const base = {
      state: this.state,
      restarts: this.restarts,
      authentication: this.auth !== undefined,
      ...(this.backend === undefined ? {} : { backendStoreUri: this.output.redact(this.backend.uri) }),
      ...(this.baseUri === undefined ? {} : { uri: this.baseUri }),
      ...(this.child?.pid === undefined ? {} : { pid: this.child.pid }),
    };
    if (this.baseUri === undefined || this.state === 'stopped') return { ...base, healthy: false };
    return { ...base, ...(await probe(this.baseUri, this.authorization(), timeoutMs)) };
  }

  /** Recent server output, oldest first, secrets replaced by `***`. */
  logs(): string[] {
    return this.output.lines();
  }

  /** SIGTERM to the process group, SIGKILL after `stopTimeoutMs`; idempotent. */
  async stop(): Promise<void> {
    this.stopping = true;
    const child = this.child;
    if (child !== undefined) await stopGroup(child, this.options.stopTimeoutMs ?? 10_000);
    this.child = undefined;
    this.state = 'stopped';
    if (this.ownsWorkDir && this.workDirPath !== undefined) rmSync(this.workDirPath, { recursive: true, force: true });
    if (this.ownsWorkDir) this.workDirPath = undefined;
  }

  /** Same as `stop()` (stops the server process): tsyringe's `Disposable`, for containers that dispose what they hold. */
  dispose(): Promise<void> {
    return this.stop();
  }

  /** The child's working folder (auth ini, auth database), created on first use. */
  private get workDir(): string {
    if (this.workDirPath === undefined) {
      this.workDirPath = this.options.workDir === undefined ? mkdtempSync(join(tmpdir(), 'logbook-mlflow-')) : resolve(this.options.workDir);
      mkdirSync(this.workDirPath, { recursive: true });
    }
    return this.workDirPath;
  }

  private assertStopped(what: string): void {
    if (this.state !== 'stopped' && this.state !== 'failed') {
      throw new LogbookError('INVALID_STATE', `[mlflow] ${what}() must be called while the server is stopped (it is ${this.state}).`);
    }
  }

  private authorization(): string | undefined {
    if (this.auth === undefined) return undefined;
    const { adminUsername, adminPassword } = this.auth.config;
    return `Basic ${Buffer.from(`${adminUsername}:${adminPassword}`).toString('base64')}`;
  }

  private commandLine(): string[] {
    const { host, port } = this.listen!;
    const args = ['server', '--host', host, '--port', String(port), '--workers', String(this.workers)];
    // Defaults live in the caller's working directory, not in the (temporary) work folder: like
    // `mlflow server` run from there, and nothing is lost when stop() removes the work folder.
    args.push('--backend-store-uri', this.backend?.uri ?? `sqlite:///${resolve('mlflow.db')}`);
    args.push(...(this.artifacts?.args ?? artifactServing({ kind: 'local', directory: resolve('mlartifacts') }).args));
    if (this.auth !== undefined) args.push('--app-name', 'basic-auth');
    return [...args, ...(this.options.extraArgs ?? [])];
  }

  private childEnv(): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      MLFLOW_SERVER_ENABLE_JOB_EXECUTION: this.options.jobExecution === true ? 'true' : 'false',
      ...this.artifacts?.env,
      ...this.options.env,
      PYTHONUNBUFFERED: '1',
    };
    if (this.auth !== undefined) {
      env.MLFLOW_AUTH_CONFIG_PATH = this.auth.iniPath;
      env.MLFLOW_FLASK_SERVER_SECRET_KEY = this.auth.config.secretKey;
    }
    return env;
  }

  /** Spawns one child and waits for `/health`; rejects if it exits or times out first. */
  private async launch(): Promise<void> {
    this.launching = true;
    const child = spawn(this.bin, this.commandLine(), { cwd: this.workDir, env: this.childEnv(), detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    const forget = child.pid === undefined ? () => false : killOnExit(child.pid);
    child.stdout!.on('data', (d: Buffer) => this.output.write(d));
    child.stderr!.on('data', (d: Buffer) => this.output.write(d));
    let exited = false;
    let spawnError: Error | undefined;
    child.once('error', (e) => {
      spawnError = e;
      exited = true;
    });
    child.once('exit', (code, signal) => {
      exited = true;
      forget();
      this.emit('exit', code, signal);
      this.onExit(child, code, signal);
    });
    try {
      const deadline = Date.now() + (this.options.startupTimeoutMs ?? 180_000);
      while (!exited && !(await isHealthy(this.baseUri!))) {
        if (Date.now() > deadline) break;
        await sleep(250);
      }
      if (exited || Date.now() > deadline) {
        if (!exited) await stopGroup(child, 2000);
        const tail = this.logs().slice(-15).join('\n');
        const why = spawnError !== undefined ? `could not be spawned (${spawnError.message})` : exited ? 'exited during startup' : 'did not answer /health in time';
        throw new LogbookError('TEMPORARILY_UNAVAILABLE', `[mlflow] The MLflow server ${why}. Last output:\n${tail}`, { cause: spawnError });
      }
    } finally {
      this.launching = false;
    }
  }

  private onExit(child: ChildProcess, code: number | null, signal: NodeJS.Signals | null): void {
    if (child !== this.child) return;
    this.child = undefined;
    if (this.stopping || this.launching || this.state !== 'running') return;
    this.logger?.warn({ code, signal, restarts: this.restarts }, 'MLflow server exited unexpectedly; restarting');
    // Workers of a crashed leader would keep the port: end the whole group first.
    void stopGroup(child, 0).then(() => this.supervise());
  }

  /** Restarts with exponential backoff until healthy or `maxRestarts` is reached. */
  private async supervise(): Promise<void> {
    const backoff = this.options.restartBackoffMs ?? 1000;
    for (;;) {
      if (this.restarts >= this.maxRestarts) {
        this.state = 'failed';
        this.logger?.error({ restarts: this.restarts }, 'MLflow server keeps dying; gave up restarting');
        this.emit('failed', this.restarts);
        return;
      }
      this.restarts += 1;
      this.state = 'restarting';
      await backgroundSleep(backoff * 2 ** (this.restarts - 1));
      if (this.stopping) return;
      try {
        await this.launch();
        this.state = 'running';
        this.logger?.info({ restarts: this.restarts }, 'MLflow server restarted');
        this.emit('restarted', this.restarts);
        return;
      } catch (error) {
        this.logger?.warn({ restarts: this.restarts, error: (error as Error).message }, 'MLflow server restart failed');
      }
    }
  }
}
