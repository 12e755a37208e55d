import type { Experiment } from '../model/experiment.js';
import type { Run } from '../model/run.js';

/**
 * Experiment ids of the spool's own experiments, as callers see them. The spool numbers its
 * experiments as MLflow does (`1`, `2`…), so a plain id could name a server experiment too.
 */
export const LOCAL_EXPERIMENT_PREFIX = 'spool-';

export function isLocalExperimentId(id: string): boolean {
  return id.startsWith(LOCAL_EXPERIMENT_PREFIX);
}

/** The spool's own id of a caller-facing local experiment id. */
export function spoolExperimentId(id: string): string {
  return isLocalExperimentId(id) ? id.slice(LOCAL_EXPERIMENT_PREFIX.length) : id;
}

export function localExperimentId(spoolId: string): string {
  return LOCAL_EXPERIMENT_PREFIX + spoolId;
}

export function asLocalExperiment(experiment: Experiment): Experiment {
  return { ...experiment, experimentId: localExperimentId(experiment.experimentId) };
}

/** A spool run as callers see it: its experiment id marked local, its id the caller's. */
export function asCallerRun(run: Run, runId: string, experimentId?: string): Run {
  return { ...run, info: { ...run.info, runId, experimentId: experimentId ?? localExperimentId(run.info.experimentId) } };
}
