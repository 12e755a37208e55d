import { describe, inject, it } from 'vitest';
import { createLogbook } from '../../packages/core/src/index.js';
import { registryWorkflow } from './workflow.js';

describe.skipIf(inject('mlflow') === null)('registry workflow on the live MLflow server (createLogbook)', () => {
  it('bytes → Staging → Production → deploy → degrade → webhook alert and /metrics gauge → rollback to a chosen version → archive, audited', async () => {
    await registryWorkflow((dir, registryAudit) => createLogbook({ trackingUri: inject('mlflow')!.uri, logging: { drainOnExit: false } }, { env: {}, cwd: dir, registryAudit }));
  }, 300_000);
});
