import type { DependencyContainer } from 'tsyringe';
import type { LogbookConfig } from '../config/types.js';
import type { Backend } from '../contracts/backend.js';
import type { ErrorHandler } from '../contracts/logger.js';
import type { DisposalStack } from './disposal-stack.js';
import type { BatchingLogger } from '../logging/batching-logger.js';
import type { BatchingLoggerStats } from '../logging/logger-stats.js';
import type { Spool } from '../spool/spool.js';
import type { SpoolStats } from '../spool/spool-stats.js';
import type { SyncStatus } from '../sync/types.js';
import type { ExperimentTracker } from '../services/experiment-tracker.js';
import type { ModelRegistry } from '../services/model-registry.js';
import type { ModelVersioning } from '../services/model-versioning.js';

/** One configured Logbook: its config, services, stores and DI container. */
export interface Logbook {
  readonly config: LogbookConfig;
  readonly tracker: ExperimentTracker;
  readonly registry: ModelRegistry;
  readonly versioning: ModelVersioning;
  readonly stores: Backend;
  /**
   * A child container holding this logbook's config, stores, logger and services. After
   * {@link close} every call on it throws a LogbookError INVALID_STATE.
   */
  readonly container: DependencyContainer;
  /** Where background failures go (the container's `ERROR_HANDLER`); the decorators report to it. */
  readonly onError: ErrorHandler;
  /** Resolves when everything logged so far is written (or reported lost). */
  flush(): Promise<void>;
  /**
   * Disposes what the logbook opened, in reverse order of creation, each awaited: the child
   * container, the batching logger (drains its buffers), the spool (drains into the server when it
   * is reachable; what is left stays in the spool file), the backend's stores, extra artifact
   * stores. Every one is closed even when an earlier one fails; the failure is then rethrown.
   * Idempotent.
   */
  close(): Promise<void>;
  /** Counters of the batching logger (buffered, flushed, spooled, dropped, failed…) and of the spool. */
  stats(): LogbookStats;
  /** The spool's backlog for the server (runs, points, bytes; last success and error), if it has one. */
  spoolStatus(): Promise<SyncStatus | undefined>;
}

/** {@link Logbook.stats}: the batching logger's counters, and the spool's when there is one. */
export interface LogbookStats extends BatchingLoggerStats {
  readonly spool?: SpoolStats;
}

/** What a {@link LogbookInstance} is made of: the {@link Logbook}'s fields and what it closes. */
export interface LogbookParts extends Pick<Logbook, 'config' | 'tracker' | 'registry' | 'versioning' | 'stores' | 'container' | 'onError'> {
  readonly metrics: BatchingLogger;
  /** Everything the logbook opened, in order of creation; `close()` disposes it in reverse. */
  readonly disposal: DisposalStack;
  readonly spool?: Spool;
}

/** The {@link Logbook} `createLogbook` returns. */
export class LogbookInstance implements Logbook {
  readonly config: LogbookConfig;
  readonly tracker: ExperimentTracker;
  readonly registry: ModelRegistry;
  readonly versioning: ModelVersioning;
  readonly stores: Backend;
  readonly container: DependencyContainer;
  readonly onError: ErrorHandler;
  private readonly metrics: BatchingLogger;
  private readonly disposal: DisposalStack;
  private readonly spool: Spool | undefined;

  constructor(parts: LogbookParts) {
    this.config = parts.config;
    this.tracker = parts.tracker;
    this.registry = parts.registry;
    this.versioning = parts.versioning;
    this.stores = parts.stores;
    this.container = parts.container;
    this.onError = parts.onError;
    this.metrics = parts.metrics;
    this.disposal = parts.disposal;
    this.spool = parts.spool;
  }

  flush(): Promise<void> {
    return this.metrics.flush();
  }

  close(): Promise<void> {
    return this.disposal.dispose();
  }

  stats(): LogbookStats {
    const stats = this.metrics.stats();
    return this.spool === undefined ? stats : { ...stats, spool: this.spool.stats() };
  }

  async spoolStatus(): Promise<SyncStatus | undefined> {
    return this.spool?.status();
  }
}
