import type { Context } from 'koa';
import { LogbookError } from '@logbook/core';
import { principalOf } from './authenticate.js';
import { ROLE_RANK } from './types.js';
import type { Principal, Role } from './types.js';

/** What a permission check is about, beyond the global role. */
export interface Scope {
  readonly experimentId?: string;
  readonly model?: string;
}

function atLeast(role: Role | undefined, needed: Role): boolean {
  return role !== undefined && ROLE_RANK[role] >= ROLE_RANK[needed];
}

/** True when the principal holds `needed` globally or through a grant on the scope. */
export function hasRole(principal: Principal, needed: Role, scope: Scope = {}): boolean {
  if (atLeast(principal.role, needed)) return true;
  const { experimentId, model } = scope;
  if (experimentId !== undefined && atLeast(principal.grants?.experiments?.[experimentId], needed)) return true;
  if (model !== undefined && atLeast(principal.grants?.models?.[model], needed)) return true;
  return false;
}

/** True when a grant could possibly lift the principal to `needed` (so a lookup is worth doing). */
export function mayHaveGrant(principal: Principal, needed: Role, kind: keyof Scope): boolean {
  const grants = kind === 'experimentId' ? principal.grants?.experiments : principal.grants?.models;
  return grants !== undefined && Object.values(grants).some((role) => atLeast(role, needed));
}

/** Throws 403 PERMISSION_DENIED unless the request's principal holds `needed` on the scope. */
export function requireRole(ctx: Context, needed: Role, scope: Scope = {}): void {
  const principal = principalOf(ctx);
  if (principal === undefined) throw new LogbookError('UNAUTHENTICATED', '[koa] Authentication required.');
  if (!hasRole(principal, needed, scope)) {
    const on = scope.model !== undefined ? ` on model '${scope.model}'` : scope.experimentId !== undefined ? ` on experiment ${scope.experimentId}` : '';
    throw new LogbookError('PERMISSION_DENIED', `[koa] Permission denied: this operation needs the ${needed} role${on}.`);
  }
}
