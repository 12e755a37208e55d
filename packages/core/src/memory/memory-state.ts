import type { LifecycleStage, ModelStage, ModelVersionStatus, RunStatus } from '../model/enums.js';
import type { Metric } from '../model/run.js';
import type { ResolvedMemoryOptions } from './memory-options.js';

/** An experiment as the memory store keeps it (mutable, copied out on every read). */
export interface StoredExperiment {
  readonly experimentId: string;
  name: string;
  readonly artifactLocation: string;
  lifecycleStage: LifecycleStage;
  readonly creationTime: number;
  lastUpdateTime: number;
  readonly tags: Map<string, string>;
}

/** A run: info fields, params, tags, the full metric history and the latest point per key. */
export interface StoredRun {
  readonly runId: string;
  readonly experimentId: string;
  runName: string;
  readonly userId: string;
  status: RunStatus;
  readonly startTime: number;
  endTime?: number;
  readonly artifactUri: string;
  lifecycleStage: LifecycleStage;
  readonly params: Map<string, string>;
  readonly tags: Map<string, string>;
  /** Points in the order they were logged; sorted on read. */
  readonly history: Metric[];
  /** Identity of every stored point, so exact duplicates are ignored. */
  readonly pointIds: Set<string>;
  readonly latest: Map<string, Metric>;
}

/** A model version; deleted versions leave the map, their numbers are never reused. */
export interface StoredVersion {
  readonly version: number;
  readonly creationTimestamp: number;
  lastUpdatedTimestamp: number;
  currentStage: ModelStage;
  description?: string;
  readonly source: string;
  readonly runId?: string;
  readonly runLink?: string;
  readonly status: ModelVersionStatus;
  readonly tags: Map<string, string>;
}

/** A registered model with its versions and aliases (alias → version number). */
export interface StoredModel {
  name: string;
  readonly creationTimestamp: number;
  lastUpdatedTimestamp: number;
  description?: string;
  readonly tags: Map<string, string>;
  readonly aliases: Map<string, number>;
  readonly versions: Map<number, StoredVersion>;
  /** Highest version number ever given. */
  maxVersion: number;
}

/** Everything a memory store holds. */
export interface MemoryState {
  readonly options: ResolvedMemoryOptions;
  readonly experiments: Map<string, StoredExperiment>;
  readonly runs: Map<string, StoredRun>;
  readonly models: Map<string, StoredModel>;
  nextExperimentId: number;
  runCount: number;
}
