import { Readable } from 'node:stream';
import type { ArtifactStore } from '../contracts/artifact-store.js';
import { LogbookError } from '../errors.js';
import { classifyFailure } from '../logging/outcome.js';
import type { ArtifactBody, ArtifactDownload, FileInfo, PutArtifactOptions } from '../model/artifact.js';
import type { CircuitBreaker } from './circuit-breaker.js';
import type { SpoolingTrackingStore } from './spooling-tracking-store.js';

/** What {@link SpoolingArtifactStore} is made of. */
export interface SpoolingArtifactParts {
  /** The MLflow server's artifact store. */
  readonly primary: ArtifactStore;
  /** The spool database's artifact store, opened on first use. */
  readonly open: () => Promise<ArtifactStore>;
  /** The routing tracking store: it knows which artifact roots are spool runs'. */
  readonly tracking: SpoolingTrackingStore;
  readonly breaker: CircuitBreaker;
  /** Called after each file written to the spool. */
  readonly spooled: () => void;
}

/**
 * The artifact store of a logbook with a spool. Files of a run that lives in the spool (its
 * artifact root is a spool run's) are written to the spool's artifact store, and the run is marked
 * changed so the drainer streams them to the server once. Files of a server run go to the server;
 * while it cannot be reached (breaker open, or the upload failed retryably) they go under the run's
 * shadow in the spool — a one-shot stream that failed half-way cannot be replayed, so that upload
 * fails with a retryable `TEMPORARILY_UNAVAILABLE` instead (calling again writes to the spool).
 */
export class SpoolingArtifactStore implements ArtifactStore {
  readonly schemes: readonly string[];
  /** The server's store's: new runs' files are written there. */
  readonly compresses?: boolean;

  constructor(private readonly parts: SpoolingArtifactParts) {
    this.schemes = parts.primary.schemes;
    if (parts.primary.compresses !== undefined) this.compresses = parts.primary.compresses;
  }

  async put(artifactUri: string, path: string, body: ArtifactBody, options?: PutArtifactOptions): Promise<FileInfo> {
    const { tracking, breaker, primary } = this.parts;
    const spoolRun = tracking.spoolRunOfRoot(artifactUri);
    if (spoolRun !== undefined) return this.putInSpool(spoolRun, artifactUri, path, body, options);
    const serverRun = tracking.serverRunOfRoot(artifactUri);
    // Breaker open, or the run's writes went to the spool (kept there, in order, for this process).
    if (serverRun !== undefined && tracking.takesNow(serverRun)) return this.putInShadow(serverRun, path, body, options, undefined);
    try {
      return await primary.put(artifactUri, path, body, options);
    } catch (error) {
      if (serverRun === undefined || classifyFailure(error) !== 'retryable') throw error;
      breaker.trip(error);
      if (body instanceof Readable) {
        throw new LogbookError(
          'TEMPORARILY_UNAVAILABLE',
          `[core] Uploading artifact '${path}' of run ${serverRun} failed half-way and its stream cannot be read again; the MLflow server cannot be reached, so logging it again writes it to the spool.`,
          { cause: error, field: 'body' },
        );
      }
      return this.putInShadow(serverRun, path, body, options, error);
    }
  }

  get(artifactUri: string, path: string): Promise<ArtifactDownload> {
    return this.route(artifactUri, (store) => store.get(artifactUri, path));
  }

  list(artifactUri: string, path?: string): Promise<readonly FileInfo[]> {
    return this.route(artifactUri, (store) => store.list(artifactUri, path));
  }

  delete(artifactUri: string, path?: string): Promise<void> {
    return this.route(artifactUri, (store) => store.delete(artifactUri, path));
  }

  /** The parts are closed by their owners. */
  async close(): Promise<void> {}

  private async route<T>(artifactUri: string, op: (store: ArtifactStore) => Promise<T>): Promise<T> {
    return op(this.parts.tracking.spoolRunOfRoot(artifactUri) === undefined ? this.parts.primary : await this.parts.open());
  }

  private async putInShadow(runId: string, path: string, body: ArtifactBody, options: PutArtifactOptions | undefined, cause: unknown): Promise<FileInfo> {
    const shadow = await this.parts.tracking.spoolRun(runId, cause);
    return this.putInSpool(shadow.info.runId, shadow.info.artifactUri, path, body, options);
  }

  private async putInSpool(spoolRunId: string, artifactUri: string, path: string, body: ArtifactBody, options: PutArtifactOptions | undefined): Promise<FileInfo> {
    // Marked changed before (a crash after the file landed still gets the run visited) and after
    // (a drain that listed the folder before the file landed visits it again).
    await this.parts.tracking.touch(spoolRunId);
    const written = await (await this.parts.open()).put(artifactUri, path, body, options);
    await this.parts.tracking.touch(spoolRunId);
    this.parts.spooled();
    return written;
  }
}
