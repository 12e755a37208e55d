import { ModelStage } from '@logbook/core';
import { invalidParam } from '../errors.js';

/** MLflow's internal stage of soft-deleted versions: hidden from every read. */
export const STAGE_DELETED_INTERNAL = 'Deleted_Internal';

const CANONICAL = new Map<string, ModelStage>(Object.values(ModelStage).map((s) => [s.toLowerCase(), s]));

/** Case-insensitive stage → canonical name; others are INVALID_PARAMETER_VALUE, as MLflow. */
export function canonicalStage(stage: string, field = 'stage'): ModelStage {
  const found = typeof stage === 'string' ? CANONICAL.get(stage.toLowerCase()) : undefined;
  return found ?? invalidParam(`Invalid Model Version stage: ${String(stage)}. Value must be one of None, Staging, Production, Archived.`, field);
}

/** Stages whose previous holders `archiveExistingVersions` may archive. */
export const ACTIVE_STAGES: readonly ModelStage[] = [ModelStage.Staging, ModelStage.Production];
