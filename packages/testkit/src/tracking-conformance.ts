import { describe } from 'vitest';
import type { ConformanceOptions, StoreFactory, TrackingFixture } from './fixture.js';
import { useFixture } from './support.js';
import { experimentTests } from './tracking/experiments.js';
import { logBatchTests } from './tracking/log-batch.js';
import { runTests } from './tracking/runs.js';
import { searchExperimentsTests } from './tracking/search-experiments.js';
import { searchRunsTests } from './tracking/search-runs.js';
import { unicodeLimitTests } from './tracking/unicode-limits.js';

/**
 * Registers vitest tests that check a `TrackingStore` (from `@logbook/core`) against MLflow's semantics:
 * experiments, runs, log-batch (params write-once, metric histories, limits), search with
 * filters, order_by, pagination and view types, limits counted in characters (code points).
 * Call it at the top level of a test file.
 *
 * The factory runs once for the whole suite; every test creates its own uniquely named
 * experiments, so a shared, non-empty store (a live MLflow server) is fine.
 *
 * @example
 * ```ts
 * import { runTrackingConformance } from '@logbook/testkit';
 * import { SqliteStore } from '@logbook/sqlite';
 *
 * runTrackingConformance(async () => {
 *   const store = new SqliteStore({ path: ':memory:' });
 *   return { store, cleanup: () => store.close() };
 * });
 * ```
 */
export function runTrackingConformance(factory: StoreFactory<TrackingFixture>, options: ConformanceOptions = {}): void {
  describe(options.name ?? 'TrackingStore conformance', () => {
    const fixture = useFixture(factory);
    const store = () => fixture().store;
    experimentTests(store);
    searchExperimentsTests(store);
    runTests(store);
    logBatchTests(store);
    searchRunsTests(store);
    unicodeLimitTests(store);
  });
}
