import { describe } from 'vitest';
import type { ConformanceOptions, RegistryFixture, StoreFactory } from './fixture.js';
import { useFixture } from './support.js';
import { registeredModelTests } from './registry/models.js';
import { stageAndAliasTests } from './registry/stages-aliases.js';
import { modelVersionTests } from './registry/versions.js';
import { modelDeploymentTests } from './registry/deployments.js';
import { modelVersioningTests } from './registry/versioning.js';

/**
 * Registers vitest tests that check a `RegistryStore` (from `@logbook/core`) against MLflow's model registry:
 * registered models (create, rename, delete, tags, search), versions numbered per model from
 * "1", stages (case-insensitive, archiving), latest versions, aliases and download URIs.
 *
 * The factory runs once for the suite; tests create uniquely named models, so a shared server is
 * fine. The fixture's tracking store is used to create runs that versions link to.
 *
 * @example
 * ```ts
 * runRegistryConformance(async () => {
 *   const backend = await openBackend();
 *   return { store: backend.registry, tracking: backend.tracking, cleanup: () => backend.close() };
 * });
 * ```
 */
export function runRegistryConformance(factory: StoreFactory<RegistryFixture>, options: ConformanceOptions = {}): void {
  describe(options.name ?? 'RegistryStore conformance', () => {
    const fixture = useFixture(factory);
    const ctx = { registry: () => fixture().store, tracking: () => fixture().tracking };
    registeredModelTests(ctx);
    modelVersionTests(ctx);
    stageAndAliasTests(ctx);
    // Core's versioning service over the same stores, when the fixture names its artifact store.
    const versioning = { ...ctx, artifacts: () => fixture().artifacts! };
    describe.runIf(options.versioning === true)('ModelVersioning', () => {
      modelVersioningTests(versioning);
      modelDeploymentTests(versioning);
    });
  });
}
