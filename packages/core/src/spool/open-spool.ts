import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { LogbookConfig } from '../config/types.js';
import type { Backend } from '../contracts/backend.js';
import type { ErrorHandler, OperationalLogger } from '../contracts/logger.js';
import { loadBackend } from '../container/load-backend.js';
import { LogbookError } from '../errors.js';
import { syncLogbook } from '../sync/sync-logbook.js';
import { Spool } from './spool.js';
import type { LocalSpool } from './spool.js';
import { httpTargetId } from './target-id.js';

/** True when `config` asks for a spool: an `http(s)` tracking URI with `spool.enabled`. */
export function wantsSpool(config: LogbookConfig): boolean {
  return config.spool.enabled && /^https?:/i.test(config.trackingUri);
}

/** Timing knobs of the spool (tests shorten them). */
export interface SpoolTiming {
  /** First probe of a server that failed. @default 1000 */
  readonly probeIntervalMs?: number;
  /** Probes back off up to this interval. @default 15000 */
  readonly maxProbeIntervalMs?: number;
  /** Delay between the server answering again and the drain. @default 1000 */
  readonly drainDelayMs?: number;
}

/**
 * Opens the spool database of `config.spool.path` (relative to `cwd`) through the backend registry
 * (a `sqlite:` URI, so `@logbook/sqlite` serves it and core imports no backend), wraps `primary`,
 * and starts draining what an earlier process left in it. The file is created on first use.
 * @throws LogbookError INVALID_CONFIGURATION when no backend with a change feed serves the file.
 */
export async function openSpool(
  config: LogbookConfig,
  primary: Backend,
  context: { readonly cwd: string; readonly logger: OperationalLogger; readonly onError: ErrorHandler; readonly timing?: SpoolTiming },
): Promise<Spool> {
  const path = resolve(context.cwd, config.spool.path);
  const uri = `sqlite:${path}`;
  const provider = await loadBackend(uri, context.cwd);
  const { registryUri: _registry, artifactRoot: _artifacts, ...rest } = config;
  const logger = context.logger.child({ component: 'spool' });
  const openLocal = async (): Promise<LocalSpool> => {
    // Its own artifact folder: a logbook.db beside it keeps its own.
    const local = await provider.create({ ...rest, trackingUri: uri, artifactRoot: `${path.replace(/\.db$/i, '')}-artifacts` }, logger);
    const syncSource = local.syncSource;
    if (syncSource === undefined) {
      await local.close();
      throw new LogbookError(
        'INVALID_CONFIGURATION',
        `[core] The spool ${path} is served by the '${provider.name}' backend, which has no change feed to drain it; install @logbook/sqlite or set spool.enabled to false.`,
        { field: 'spool.path' },
      );
    }
    return { ...local, syncSource };
  };
  const spool = new Spool({
    primary,
    openLocal,
    exists: existsSync(path),
    targetId: httpTargetId(config.trackingUri),
    path,
    sync: (source, target) => syncLogbook(source, target, { logger, onProgress: (progress) => logger.debug({ ...progress }, 'spool: drain progress') }),
    logger,
    onError: context.onError,
    ...context.timing,
  });
  try {
    await spool.start();
  } catch (error) {
    await spool.close().catch(() => undefined);
    throw error;
  }
  return spool;
}
