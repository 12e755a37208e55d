import type { ArtifactStore, RegistryStore, TrackingStore } from '@logbook/core/spi';

/**
 * What a factory hands to a conformance suite: the store under test and how to dispose of it.
 * The suite calls the factory once (in `beforeAll`) and `cleanup` once (in `afterAll`), so one
 * server or database can serve every test of the suite. Tests never assume an empty store: each
 * creates its own uniquely named experiments and models.
 */
export interface StoreFixture<S> {
  readonly store: S;
  /** Called once after the last test of the suite; closing the store is its job. */
  cleanup?(): Promise<void>;
}

/** Creates the fixture of a suite; may be async (start a server, open a file). */
export type StoreFactory<F> = () => F | Promise<F>;

/** Fixture of {@link runTrackingConformance}. */
export type TrackingFixture = StoreFixture<TrackingStore>;

/**
 * Fixture of {@link runRegistryConformance}. The tracking store is the one the registry belongs
 * to: tests create runs in it to register model versions from (`run_id` filters, download URIs).
 */
export interface RegistryFixture extends StoreFixture<RegistryStore> {
  readonly tracking: TrackingStore;
  /**
   * The artifact store serving the tracking store's run roots. When given, the suite also checks
   * core's `ModelVersioning` over this backend: model bytes in and out, compare, rollback,
   * deployments, live metrics and alerts.
   */
  readonly artifacts?: ArtifactStore;
}

/**
 * Fixture of {@link runArtifactConformance}. `newRoot` returns a fresh, empty artifact root URI
 * this store serves (e.g. `file:///tmp/x/<uuid>`, `s3://bucket/prefix/<uuid>`), one per test, so
 * tests sharing one bucket or server never see each other's files.
 */
export interface ArtifactFixture extends StoreFixture<ArtifactStore> {
  newRoot(): string | Promise<string>;
}

/** Options shared by the three suites. */
export interface ConformanceOptions {
  /** Title of the top-level `describe`. @default 'TrackingStore conformance' (etc.) */
  readonly name?: string;
  /**
   * Registry suite only: also check core's `ModelVersioning` over the backend (bytes in and out,
   * compare, rollback, deployments, monitoring); the fixture must give `artifacts`. @default false
   */
  readonly versioning?: boolean;
}
