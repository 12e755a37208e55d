import { randomUUID } from 'node:crypto';
import { runArtifactConformance, runRegistryConformance, runTrackingConformance } from '@logbook/testkit';
import { MlflowArtifactStore, MlflowStore } from '../src/index.js';
import { describeLive, live } from './helpers/live.js';

// The testkit suites against the live MLflow server of test/setup/mlflow.ts (PostgreSQL backend,
// artifacts proxied to a local folder). MLflow is the reference: where a suite disagrees with it,
// the suite is fixed.
describeLive('MLflow server', () => {
  const open = () => new MlflowStore({ trackingUri: live().uri });

  runTrackingConformance(
    () => {
      const store = open();
      return { store, cleanup: () => store.close() };
    },
    { name: 'MlflowStore tracking conformance' },
  );

  runRegistryConformance(
    () => {
      const store = open();
      const artifacts = new MlflowArtifactStore({ trackingUri: live().uri });
      return {
        store,
        tracking: store,
        artifacts,
        cleanup: async () => {
          await store.close();
          await artifacts.close();
        },
      };
    },
    { name: 'MlflowStore registry conformance', versioning: true },
  );

  runArtifactConformance(
    () => {
      const store = new MlflowArtifactStore({ trackingUri: live().uri });
      return { store, newRoot: () => `mlflow-artifacts:/conformance/${randomUUID()}`, cleanup: () => store.close() };
    },
    { name: 'MlflowArtifactStore conformance' },
  );
});
