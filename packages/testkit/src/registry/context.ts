import type { RegistryStore, TrackingStore } from '@logbook/core/spi';
import { uniqueName } from '../support.js';

/** What registry tests need: the registry and the tracking store its versions come from. */
export interface RegistryContext {
  readonly registry: () => RegistryStore;
  readonly tracking: () => TrackingStore;
}

/** A unique model name (no `/` or `:`, which MLflow 3.11+ rejects in model names). */
export function modelName(prefix = 'model'): string {
  return uniqueName(prefix);
}

/** A non-local source URI, accepted by MLflow without run checks. */
export function remoteSource(name: string, version = 'v'): string {
  return `s3://lbk-conformance/${name}/${version}/model`;
}

/** Creates a model with `count` versions from remote sources; returns its name. */
export async function modelWithVersions(ctx: RegistryContext, count: number, prefix = 'model'): Promise<string> {
  const name = modelName(prefix);
  await ctx.registry().createRegisteredModel({ name });
  for (let i = 1; i <= count; i++) await ctx.registry().createModelVersion({ name, source: remoteSource(name, String(i)) });
  return name;
}
