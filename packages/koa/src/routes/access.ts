import type { Context } from 'koa';
import { LogbookError } from '@logbook/core';
import { validateModelName, validateRunId } from '@logbook/core/spi';
import type { Run } from '@logbook/core';
import { principalOf } from '../auth/authenticate.js';
import { hasRole, mayHaveGrant, requireRole } from '../auth/authorize.js';
import type { Role } from '../auth/types.js';
import { setAuditTarget } from '../audit/audit-middleware.js';
import type { RouteDeps } from './route.js';

function denied(role: Role): never {
  throw new LogbookError('PERMISSION_DENIED', `[koa] Permission denied: this operation needs the ${role} role.`);
}

/**
 * Loads a run after checking that the caller holds `role` on its experiment. A caller with no
 * global role and no grant that could apply gets 403 before any lookup, so ids cannot be probed.
 */
export async function runWithRole(ctx: Context, deps: RouteDeps, role: Role, runId: string): Promise<Run> {
  validateRunId(runId, 'run_id');
  setAuditTarget(ctx, `run:${runId}`);
  const principal = principalOf(ctx)!;
  if (!hasRole(principal, role) && !mayHaveGrant(principal, role, 'experimentId')) denied(role);
  const run = await deps.tracking.getRun(runId);
  requireRole(ctx, role, { experimentId: run.info.experimentId });
  return run;
}

/** Checks `role` on an experiment (global role or grant). */
export function experimentRole(ctx: Context, role: Role, experimentId: string): void {
  setAuditTarget(ctx, `experiment:${experimentId}`);
  requireRole(ctx, role, { experimentId });
}

/** Validates a model name from the path and checks `role` on the model (global role or grant). */
export function modelRole(ctx: Context, role: Role, name: string): string {
  validateModelName(name, 'name');
  setAuditTarget(ctx, `model:${name}`);
  requireRole(ctx, role, { model: name });
  return name;
}
