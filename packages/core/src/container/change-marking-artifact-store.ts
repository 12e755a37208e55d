import type { ArtifactStore } from '../contracts/artifact-store.js';
import type { Backend } from '../contracts/backend.js';
import type { ArtifactBody, ArtifactDownload, FileInfo, PutArtifactOptions } from '../model/artifact.js';

/**
 * An artifact store whose every file written marks its run changed in the backend's change feed
 * (`mark`: {@link Backend.markArtifactsChanged}, e.g. `SqliteStore.markArtifactsChanged`), so
 * `logbook sync` sends a file logged after the run's last database write, finished runs included:
 * the SQLite backend's own store, and every extra store (S3) `createLogbook` routes to beside it. Marked before (a crash
 * after the file landed still gets the run visited) and after (a sync that listed the folder
 * before the file landed visits it again), as the spool does for its own files.
 */
export class ChangeMarkingArtifactStore implements ArtifactStore {
  readonly schemes: readonly string[];
  readonly compresses?: boolean;

  constructor(
    private readonly inner: ArtifactStore,
    private readonly mark: (artifactUri: string) => Promise<void>,
  ) {
    this.schemes = inner.schemes;
    if (inner.compresses !== undefined) this.compresses = inner.compresses;
  }

  async put(artifactUri: string, path: string, body: ArtifactBody, options?: PutArtifactOptions): Promise<FileInfo> {
    await this.mark(artifactUri);
    const written = await this.inner.put(artifactUri, path, body, options);
    await this.mark(artifactUri);
    return written;
  }

  get(artifactUri: string, path: string): Promise<ArtifactDownload> {
    return this.inner.get(artifactUri, path);
  }

  list(artifactUri: string, path?: string): Promise<readonly FileInfo[]> {
    return this.inner.list(artifactUri, path);
  }

  delete(artifactUri: string, path?: string): Promise<void> {
    return this.inner.delete(artifactUri, path);
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
