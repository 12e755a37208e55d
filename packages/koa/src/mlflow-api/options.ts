import type { ArtifactStore, Backend, RegistryAuditSink, RegistryStore, TrackingStore } from '@logbook/core/spi';
import type { AuthOptions } from '../auth/types.js';
import type { ServerErrorReporter } from '../errors.js';
import type { LogbookLike } from '../options.js';

/**
 * Options of {@link createMlflowApiRouter}. Services come from `logbook`, or from `stores`, or
 * from `tracking` + `registry` + `artifacts` given one by one (the most specific wins).
 */
export interface MlflowApiRouterOptions {
  readonly logbook?: LogbookLike;
  readonly stores?: Pick<Backend, 'tracking' | 'registry' | 'artifacts'>;
  readonly tracking?: TrackingStore;
  readonly registry?: RegistryStore;
  readonly artifacts?: ArtifactStore;
  /**
   * Required: who may call, as for `createLogbookRouter` (`basicAuth` and `bearerAuth` match what
   * MLflow's client sends for `MLFLOW_TRACKING_USERNAME`/`PASSWORD` and `MLFLOW_TRACKING_TOKEN`).
   * Reads need the `reader` role, writes `editor`. `/health` and `/version` are public.
   */
  readonly auth: AuthOptions;
  /**
   * URI of the artifact root that the proxy (`/api/2.0/mlflow-artifacts/artifacts/…`) serves as
   * `mlflow-artifacts:/`. Locations under it are shown to clients as `mlflow-artifacts:` URIs.
   * @default the tracking store's `artifactRootUri` (the SQLite store's artifact folder)
   */
  readonly artifactsRoot?: string;
  /** Where the host mounts the API (MLflow clients expect none). @default '' */
  readonly prefix?: string;
  /** Text of `GET /version`. @default the MLflow version whose API this router answers */
  readonly version?: string;
  /** Largest JSON body accepted; larger is 413. @default '10mb' */
  readonly bodyLimit?: string | number;
  /** Where 5xx errors are reported with their request id. @default one line on stderr */
  readonly onServerError?: ServerErrorReporter;
  /**
   * Where the registry changes that MLflow clients make are reported (e.g. an
   * `AuditLogRegistrySink`), by the authenticated principal, source `rest`, with the request id.
   * Not needed when `logbook` was created with a `registryAudit` (its store reports already).
   */
  readonly registryAudit?: RegistryAuditSink;
}
