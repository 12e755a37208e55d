import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// The embedded backend, from its sources: importing it registers it for `:memory:` and `.db` paths.
// (@logbook/core does not depend on @logbook/sqlite; only these end-to-end tests reach across.)
import '../../../sqlite/src/index.js';
import { createLogbook } from '../../src/index.js';
import type { ErrorHandler, Logbook, RunStatus, Tags } from '../../src/index.js';
import type { TrackingStore } from '../../src/spi.js';
import type { LogbookLike, RunSink } from '../../src/decorators/run-sink.js';

/** A real logbook (ExperimentTracker over a SqliteStore) for one test, and what reached its error handler. */
export interface DecoratorFixture {
  readonly logbook: Logbook;
  readonly store: TrackingStore;
  readonly errors: { readonly error: unknown; readonly context: { readonly operation: string; readonly runId?: string } }[];
  /** Closes the logbook and returns every byte it wrote (database, WAL, artifacts) as text. File fixtures only. */
  dump(): Promise<string>;
  close(): Promise<void>;
}

export async function openFixture(options: { readonly autoLogging?: boolean; readonly file?: boolean } = {}): Promise<DecoratorFixture> {
  const dir = await mkdtemp(join(tmpdir(), 'logbook-decorators-'));
  const errors: DecoratorFixture['errors'] = [];
  const onError: ErrorHandler = (error, context) => {
    errors.push({ error, context });
  };
  const logbook = await createLogbook(
    {
      trackingUri: options.file === true ? join(dir, 'logbook.db') : ':memory:',
      artifactRoot: join(dir, 'artifacts'),
      experimentAutoLogging: options.autoLogging ?? true,
      logging: { drainOnExit: false },
    },
    { onError, env: {}, cwd: dir },
  );
  const close = async () => {
    await logbook.close();
    await rm(dir, { recursive: true, force: true });
  };
  return {
    logbook,
    store: logbook.stores.tracking,
    errors,
    dump: async () => {
      if (options.file !== true) throw new Error('dump() needs openFixture({ file: true })');
      await logbook.close();
      const files = (await readdir(dir, { recursive: true, withFileTypes: true })).filter((e) => e.isFile());
      if (!files.some((f) => f.name === 'logbook.db')) throw new Error('fixture: no database file was written');
      const bytes = await Promise.all(files.map((f) => readFile(join(f.parentPath, f.name))));
      return bytes.map((b) => b.toString('latin1')).join('\n');
    },
    close,
  };
}

/**
 * Fault injection: a logbook whose tracker is the real one except for the given methods.
 */
export function withFaults(logbook: Logbook, faults: Partial<RunSink>): LogbookLike {
  const t = logbook.tracker;
  const tracker: RunSink = {
    getOrCreateExperiment: (name: string) => t.getOrCreateExperiment(name),
    startRun: (experimentId: string, runName?: string, o?: { readonly parentRunId?: string; readonly tags?: Tags }) => t.startRun(experimentId, runName, o),
    endRun: (runId: string, status?: RunStatus) => t.endRun(runId, status),
    logParameters: (params, runId) => t.logParameters(params, runId),
    logMetrics: (metrics, step, runId, timestamp) => t.logMetrics(metrics, step, runId, timestamp),
    setTags: (tags, runId) => t.setTags(tags, runId),
    ...faults,
  };
  return { tracker, config: logbook.config, onError: logbook.onError };
}
