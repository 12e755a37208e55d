/** Status of a run, as MLflow defines it. */
export enum RunStatus {
  RUNNING = 'RUNNING',
  SCHEDULED = 'SCHEDULED',
  FINISHED = 'FINISHED',
  FAILED = 'FAILED',
  KILLED = 'KILLED',
}

/** Statuses a run can end with. */
export const TERMINAL_RUN_STATUSES: readonly RunStatus[] = [RunStatus.FINISHED, RunStatus.FAILED, RunStatus.KILLED];

/** Which entities a search returns with regard to soft deletion. */
export enum ViewType {
  ACTIVE_ONLY = 'ACTIVE_ONLY',
  DELETED_ONLY = 'DELETED_ONLY',
  ALL = 'ALL',
}

/** Soft-deletion state of an experiment or a run. */
export enum LifecycleStage {
  ACTIVE = 'active',
  DELETED = 'deleted',
}

/** Registry stage of a model version (MLflow's deprecated but still served stage API). */
export enum ModelStage {
  None = 'None',
  Staging = 'Staging',
  Production = 'Production',
  Archived = 'Archived',
}

/** Registration status of a model version. */
export enum ModelVersionStatus {
  PENDING_REGISTRATION = 'PENDING_REGISTRATION',
  FAILED_REGISTRATION = 'FAILED_REGISTRATION',
  READY = 'READY',
}
