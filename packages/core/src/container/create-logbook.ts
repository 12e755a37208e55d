import { container as rootContainer } from 'tsyringe';
import { closedAware } from './closed-container.js';
import type { DependencyContainer } from 'tsyringe';
import { resolveConfig } from './resolve-config.js';
import type { LogbookConfigInput } from '../config/types.js';
import { ARTIFACT_STORE } from '../contracts/artifact-store.js';
import type { ArtifactStore } from '../contracts/artifact-store.js';
import { LOGBOOK_CONFIG } from '../contracts/backend.js';
import { ERROR_HANDLER, OPERATIONAL_LOGGER } from '../contracts/logger.js';
import type { ErrorHandler, OperationalLogger } from '../contracts/logger.js';
import { REGISTRY_STORE } from '../contracts/registry-store.js';
import { TRACKING_STORE } from '../contracts/tracking-store.js';
import { BatchingLogger } from '../logging/batching-logger.js';
import type { ExitProcess } from '../logging/exit-hooks.js';
import { BATCHING_LOGGER } from '../logging/batching-logger-token.js';
import { createLoggingErrorHandler } from '../logging/error-handler.js';
import { isLogbookError } from '../errors.js';
import { createPinoLogger } from '../logging/operational-logger.js';
import { ExperimentTracker } from '../services/experiment-tracker.js';
import { ModelRegistry } from '../services/model-registry.js';
import { ModelVersioning } from '../services/model-versioning.js';
import type { Backend, BackendContext } from '../contracts/backend.js';
import type { LogbookConfig } from '../config/types.js';
import { loadArtifactStores } from './artifact-store-registry.js';
import { loadBackend } from './load-backend.js';
import { ChangeMarkingArtifactStore } from './change-marking-artifact-store.js';
import { RoutingArtifactStore } from './routing-artifact-store.js';
import { composeBackend } from './compose-backend.js';
import { LogbookInstance } from './logbook.js';
import { CLOCK } from '../contracts/clock.js';
import { ID_GENERATOR, randomId } from '../contracts/id-generator.js';
import { DisposalStack } from './disposal-stack.js';
import { withoutRegistry } from './disabled-registry.js';
import { withRegistryAudit } from './audited-backend.js';
import type { RegistryAuditSink } from '../contracts/registry-audit.js';
import { REGISTRY_AUDIT_SINK } from '../contracts/registry-audit.js';
import type { RegistryAuditOptions } from '../audit/audited-registry-store.js';
import { fromParent, parentBackend, parentHasAllStores, withParentStores } from './parent-overrides.js';
import { checkArtifactCompression, checkCredentials } from './start-checks.js';
import { openSpool, wantsSpool } from '../spool/open-spool.js';
import type { SpoolTiming } from '../spool/open-spool.js';
import type { Spool } from '../spool/spool.js';
import type { Logbook } from './logbook.js';

/** Options of {@link createLogbook}. */
export interface CreateLogbookOptions {
  /**
   * Parent of the logbook's child container. What it registers replaces the defaults:
   * `TRACKING_STORE`, `REGISTRY_STORE`, `ARTIFACT_STORE` (all three: no backend is loaded; the
   * parent's stores are not closed by `logbook.close()`), `ERROR_HANDLER`, `OPERATIONAL_LOGGER`
   * (the `onError` and `logger` options win over them), `CLOCK` and `ID_GENERATOR` (handed to the
   * backend provider, so the stores stamp times and assign run ids with them).
   * @default tsyringe's root container
   */
  readonly container?: DependencyContainer;
  /** @default pino at `config.logLevel` (silent by default) */
  readonly logger?: OperationalLogger;
  /** Where background failures go. @default logged at error level through `logger` */
  readonly onError?: ErrorHandler;
  /** Environment read by `loadConfig`. @default process.env */
  readonly env?: NodeJS.ProcessEnv;
  /** Where the config file and backend packages are looked up. @default process.cwd() */
  readonly cwd?: string;
  /** Process whose exit and signals drain the buffers. @default process */
  readonly process?: ExitProcess;
  /** Timing of the spool's probes and drains (tests shorten them). @default 1 s probes growing to 15 s; drains 1 s after a write */
  readonly spoolTiming?: SpoolTiming;
  /**
   * Where every registry change made through this logbook is reported (who, what, when, before
   * and after), e.g. `@logbook/koa`'s `AuditLogRegistrySink` over a hash-chained audit log; with
   * the actor and source of changes made outside a `withRegistryAuditContext`.
   * @default the parent container's `REGISTRY_AUDIT_SINK`; without one nothing is audited
   */
  readonly registryAudit?: RegistryAuditOptions & { readonly sink: RegistryAuditSink };
}

/**
 * Builds a Logbook: loads the config (explicit > environment > config file profile > defaults),
 * picks the backend for `trackingUri` (importing `@logbook/sqlite` or `@logbook/mlflow` from the
 * project when nothing is registered), and wires stores, config, logger, error handler, batching
 * logger and services into a child tsyringe container. With an `http(s)` tracking URI and
 * `spool.enabled` (the default), a local spool database takes the writes the server cannot take
 * and a background drainer delivers them when it answers again (see docs/spool.md).
 *
 * @example
 * ```ts
 * const logbook = await createLogbook({ trackingUri: 'sqlite:./runs.db' });
 * const run = await logbook.tracker.startRun(await logbook.tracker.getOrCreateExperiment('demo'));
 * logbook.tracker.logMetric('loss', 0.1, 1, run);
 * await logbook.close();
 * ```
 */
export async function createLogbook(config?: LogbookConfigInput, options: CreateLogbookOptions = {}): Promise<Logbook> {
  const cwd = options.cwd ?? process.cwd();
  const resolved = await resolveConfig(config, options.env ?? process.env, cwd);
  checkCredentials(resolved);
  const parent = options.container ?? rootContainer;
  const logger = options.logger ?? fromParent(parent, OPERATIONAL_LOGGER) ?? createPinoLogger(resolved.logLevel);
  const onError = options.onError ?? fromParent(parent, ERROR_HANDLER) ?? createLoggingErrorHandler(logger);
  const context: BackendContext = { now: fromParent(parent, CLOCK) ?? Date.now, newId: fromParent(parent, ID_GENERATOR) ?? randomId };
  // Everything opened from here on is closed in reverse order by `logbook.close()`, or right away
  // when creation fails half way.
  const disposal = new DisposalStack();
  try {
    const extraStores = await loadArtifactStores(resolved, cwd);
    for (const extra of extraStores) disposal.defer(`artifact store ${extra.rootUri}`, () => extra.store.close());
    const { name, own } = parentHasAllStores(parent)
      ? { name: 'parent container', own: parentBackend(parent) }
      : // Behind a spool, one call retries for at most spool.failoverMs before the spool takes its
        // writes (the transport stays the one retry owner; only its deadline is shorter).
        await createBackend(backendConfig(resolved, extraStores), cwd, logger, wantsSpool(resolved) ? { ...context, callDeadlineMs: resolved.spool.failoverMs } : context);
    disposal.defer(`${name} backend`, () => own.close());
    let backend = withParentStores(
      withArtifactStores(
        own,
        extraStores.map((e) => e.store),
      ),
      parent,
    );
    checkArtifactCompression(backendConfig(resolved, extraStores), [...extraStores.map((e) => e.store), backend.artifacts]);
    let spool: Spool | undefined;
    if (wantsSpool(resolved)) {
      spool = await openSpoolOrWarn(resolved, backend, { cwd, logger, onError, ...(options.spoolTiming === undefined ? {} : { timing: options.spoolTiming }) });
      if (spool !== undefined) {
        const opened = spool;
        disposal.defer('spool', () => opened.close());
        backend = spool.backend;
      }
    }
    if (!resolved.modelRegistryEnabled) backend = withoutRegistry(backend);
    if (options.registryAudit !== undefined) backend = withRegistryAudit(backend, options.registryAudit.sink, options.registryAudit);
    else {
      // A sink from the parent container belongs to the parent: closing the logbook leaves it open.
      const shared = fromParent(parent, REGISTRY_AUDIT_SINK);
      if (shared !== undefined) backend = withRegistryAudit(backend, { record: (change) => shared.record(change) }, {});
    }
    const metrics = new BatchingLogger(backend.tracking, {
      ...resolved.logging,
      onError,
      logger: logger.child({ component: 'batching-logger' }),
      ...(options.process === undefined ? {} : { process: options.process }),
      ...(spool === undefined ? {} : { handoff: spool }),
      now: context.now,
    });
    disposal.defer('batching logger', () => metrics.dispose());
    const child = parent.createChildContainer();
    let closed = false;
    disposal.defer('container', async () => {
      closed = true;
      await child.dispose();
    });
    child.register(LOGBOOK_CONFIG, { useValue: resolved });
    child.register(OPERATIONAL_LOGGER, { useValue: logger });
    child.register(ERROR_HANDLER, { useValue: onError });
    child.register(CLOCK, { useValue: context.now });
    child.register(ID_GENERATOR, { useValue: context.newId });
    child.register(TRACKING_STORE, { useValue: backend.tracking });
    child.register(REGISTRY_STORE, { useValue: backend.registry });
    child.register(ARTIFACT_STORE, { useValue: backend.artifacts });
    child.register(BATCHING_LOGGER, { useValue: metrics });
    child.registerSingleton(ExperimentTracker);
    child.registerSingleton(ModelRegistry);
    child.registerSingleton(ModelVersioning);
    logger.debug({ backend: name, environment: resolved.environment }, 'logbook created');
    return new LogbookInstance({
      config: resolved,
      tracker: child.resolve(ExperimentTracker),
      registry: child.resolve(ModelRegistry),
      versioning: child.resolve(ModelVersioning),
      stores: backend,
      container: closedAware(child, () => closed),
      onError,
      metrics,
      disposal,
      ...(spool === undefined ? {} : { spool }),
    });
  } catch (error) {
    await disposal.dispose().catch(() => undefined);
    throw error;
  }
}

/**
 * The spool, or undefined (with a warning in the operational log) when no backend can hold it: a
 * project with `@logbook/mlflow` but without `@logbook/sqlite` still logs, without the spool.
 */
async function openSpoolOrWarn(...args: Parameters<typeof openSpool>): Promise<Spool | undefined> {
  try {
    return await openSpool(...args);
  } catch (error) {
    if (!isLogbookError(error, 'INVALID_CONFIGURATION')) throw error;
    args[2].logger.warn({ err: error }, 'spool: not available; writes fail while the MLflow server is down (install @logbook/sqlite or set spool.enabled to false)');
    return undefined;
  }
}

/** The backend of the provider that serves `config.trackingUri`. */
async function createBackend(config: LogbookConfig, cwd: string, logger: OperationalLogger, context: BackendContext): Promise<{ name: string; own: Backend }> {
  const provider = await loadBackend(config.trackingUri, cwd);
  return { name: provider.name, own: await provider.create(config, logger.child({ backend: provider.name }), context) };
}

/** New experiments put their artifacts in the first extra store (e.g. S3) unless a root is configured. */
function backendConfig(config: LogbookConfig, extra: readonly { readonly rootUri: string }[]): LogbookConfig {
  const first = extra[0];
  return config.artifactRoot === undefined && first !== undefined ? { ...config, artifactRoot: first.rootUri } : config;
}

/**
 * The backend with its artifact store routed by URI scheme over the extra stores and its own. A
 * file written to an extra store marks its run changed as the backend's own store does, so a
 * sync sends it (late files of finished runs included); the backend's change feed is kept.
 */
function withArtifactStores(backend: Backend, extra: readonly ArtifactStore[]): Backend {
  if (extra.length === 0) return backend;
  const mark = backend.markArtifactsChanged;
  const routed = mark === undefined ? extra : extra.map((store) => new ChangeMarkingArtifactStore(store, mark));
  const artifacts = new RoutingArtifactStore([...routed, backend.artifacts]);
  return {
    ...composeBackend({ tracking: backend.tracking, registry: backend.registry, artifacts }, [backend]),
    ...(backend.syncSource === undefined ? {} : { syncSource: backend.syncSource }),
    ...(mark === undefined ? {} : { markArtifactsChanged: mark }),
  };
}
