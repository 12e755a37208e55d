import { DEFAULT_ARTIFACT_SCHEMES } from '@logbook/core/spi';
import type { ModelRegistry, ModelVersioning } from '@logbook/core';
import type { ArtifactLocationPolicy, ArtifactStore, Backend, RegistryStore, TrackingStore } from '@logbook/core/spi';
import type { MonitoringOptions } from '@logbook/core';
import type { AuditLog } from './audit/audit-log.js';
import type { AuditSink } from './audit/types.js';
import type { AuthOptions } from './auth/types.js';
import type { ServerErrorReporter } from './errors.js';
import type { BacklogSource } from './routes/route.js';

/**
 * The part of core's `Logbook` the router uses: its stores, its logger's stats, and its registry
 * services when present (so the model routes use its monitoring thresholds and alert sinks).
 */
export interface LogbookLike {
  readonly stores: Pick<Backend, 'tracking' | 'registry' | 'artifacts'>;
  /** Core's `ModelRegistry`. @default one over `stores.registry` */
  readonly registry?: ModelRegistry;
  /**
   * Core's `ModelVersioning`. @default one over the stores, with the default monitoring rule
   * (10 %), no alert sink, and failures reported on stderr
   */
  readonly versioning?: ModelVersioning;
  /** The batching logger's counters; the default {@link LogbookRouterOptions.backlog}. */
  stats?(): object;
}

/**
 * Options of {@link createLogbookRouter}. Services come from `logbook`, or from `stores`, or
 * from `tracking` + `registry` + `artifacts` given one by one (the most specific wins).
 */
export interface LogbookRouterOptions {
  readonly logbook?: LogbookLike;
  readonly stores?: Pick<Backend, 'tracking' | 'registry' | 'artifacts'>;
  readonly tracking?: TrackingStore;
  readonly registry?: RegistryStore;
  readonly artifacts?: ArtifactStore;
  /** Where the host mounts the API. @default '/mlflow' */
  readonly prefix?: string;
  /** Required: who may call. There is no implicit open mode; see {@link AuthOptions.anonymousRole}. */
  readonly auth: AuthOptions;
  /**
   * Audit log of every write and registry operation: an {@link AuditLog} (`await AuditLog.open(sink,
   * { key })` for a keyed chain and typed start-up errors), or a sink to build an unkeyed one on.
   * Without it nothing is audited and `GET /audit` answers 404.
   */
  readonly audit?: AuditLog | AuditSink;
  /**
   * Largest model (bytes) `POST /models/{name}/versions` takes: a larger `Content-Length` is 413
   * at once, and a chunked body is cut at the limit (413; nothing stays stored).
   * @default core's `DEFAULT_MAX_ARTIFACT_SIZE` (5 GiB)
   */
  readonly maxModelBytes?: number;
  /** Largest JSON body accepted; larger is 413. @default '1mb' */
  readonly bodyLimit?: string | number;
  /** The batching logger's stats, reported by `/health` and `/metrics`. @default `logbook.stats()` */
  readonly backlog?: BacklogSource;
  /**
   * How `/metrics` judges live model metrics against registration (`threshold`, `thresholds`,
   * `lowerIsBetter`: the rule of `ModelVersioning.configureMonitoring`; give both the same), or
   * `false` for no `logbook_model_*` gauges. @default 10 % worse for every metric, higher is better
   */
  readonly modelMonitoring?: MonitoringOptions | false;
  /** Serve `/metrics` without authentication (for a scraper on a private network). @default false */
  readonly publicMetrics?: boolean;
  /**
   * Where 5xx errors are reported with their request id. @default one line on stderr with the
   * request id, status and the error's name and code (never the request or its credentials).
   */
  readonly onServerError?: ServerErrorReporter;
  /**
   * The folder (or `file:` URI) that `file:` artifact locations of `POST /experiments` must lie in.
   * @default the tracking store's `artifactRootUri` when it has one (the SQLite store); otherwise
   * none, and `file:` locations are refused
   */
  readonly artifactRoot?: string;
  /**
   * Accept `file:` artifact locations anywhere on the host's disk. Every other rule stays (allowed
   * schemes, absolute, no query, fragment or `..`). The SQLite store checks the same rule: give it
   * its own `allowArtifactLocationsOutsideRoot` too.
   * @default false
   */
  readonly allowArtifactLocationsOutsideRoot?: boolean;
}

/**
 * What `POST /experiments` accepts as `artifact_location`: Logbook's schemes and those the router's
 * artifact store serves; `file:` only inside the artifact root unless the host opted out.
 */
export function artifactLocationPolicy(
  options: Pick<LogbookRouterOptions, 'artifactRoot' | 'allowArtifactLocationsOutsideRoot'>,
  stores: { readonly tracking: TrackingStore; readonly artifacts: ArtifactStore },
): ArtifactLocationPolicy {
  const storeRoot = (stores.tracking as { readonly artifactRootUri?: unknown }).artifactRootUri;
  const root = options.artifactRoot ?? (typeof storeRoot === 'string' ? storeRoot : undefined);
  return {
    schemes: [...new Set([...DEFAULT_ARTIFACT_SCHEMES, ...stores.artifacts.schemes.map((s) => s.toLowerCase())])],
    ...(root !== undefined && { root }),
    allowOutsideRoot: options.allowArtifactLocationsOutsideRoot === true,
  };
}
