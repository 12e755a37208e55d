import type { Context } from 'koa';
import type { ArtifactStore, RegistryStore, TrackingStore } from '@logbook/core/spi';
import type { ArtifactLocations } from './locations.js';
import type { Params } from './request.js';

/** What every MLflow API handler works on. */
export interface MlflowApiDeps {
  readonly tracking: TrackingStore;
  readonly registry: RegistryStore;
  readonly artifacts: ArtifactStore;
  readonly locations: ArtifactLocations;
}

/** One endpoint of MLflow's JSON API: its path under `/api/2.0/mlflow` and its handler. */
export interface MlflowRoute {
  readonly methods: readonly ('GET' | 'POST' | 'PATCH' | 'DELETE')[];
  readonly path: string;
  /** Returns the JSON response body (`{}` for MLflow's empty messages). */
  readonly handler: (params: Params, deps: MlflowApiDeps, ctx: Context) => Promise<object>;
}
