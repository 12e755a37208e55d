import type { DependencyContainer } from 'tsyringe';
import type { LogbookConfig } from '../config/types.js';
import type { Backend } from '../contracts/backend.js';
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
  /** A child container holding this logbook's config, stores, logger and services. */
  readonly container: DependencyContainer;
  /** Resolves when everything logged so far is written (or reported lost). */
  flush(): Promise<void>;
  /**
   * Drains buffers, then closes the backend (with a spool: drains it into the server when it is
   * reachable; what is left stays in the spool file). Idempotent.
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

/** The {@link Logbook} `createLogbook` returns. */
export class LogbookInstance implements Logbook {
  private closing: Promise<void> | undefined;

  constructor(
    readonly config: LogbookConfig,
    readonly tracker: ExperimentTracker,
    readonly registry: ModelRegistry,
    readonly versioning: ModelVersioning,
    readonly stores: Backend,
    readonly container: DependencyContainer,
    private readonly metrics: BatchingLogger,
    private readonly spool?: Spool,
  ) {}

  flush(): Promise<void> {
    return this.metrics.flush();
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      try {
        await this.metrics.close();
      } finally {
        await this.stores.close();
      }
    })();
    return this.closing;
  }

  stats(): LogbookStats {
    const stats = this.metrics.stats();
    return this.spool === undefined ? stats : { ...stats, spool: this.spool.stats() };
  }

  async spoolStatus(): Promise<SyncStatus | undefined> {
    return this.spool?.status();
  }
}
