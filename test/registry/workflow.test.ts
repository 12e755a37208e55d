import { join } from 'node:path';
import { describe, it } from 'vitest';
import { createLogbook } from '../../packages/core/src/index.js';
import '../../packages/sqlite/src/index.js';
import { registryWorkflow } from './workflow.js';

describe('registry workflow on SQLite (createLogbook)', () => {
  it('bytes → Staging → Production → deploy → degrade → webhook alert and /metrics gauge → rollback to a chosen version → archive, audited', async () => {
    await registryWorkflow((dir, registryAudit) => createLogbook({ trackingUri: join(dir, 'logbook.db'), logging: { drainOnExit: false } }, { env: {}, cwd: dir, registryAudit }));
  }, 120_000);
});
