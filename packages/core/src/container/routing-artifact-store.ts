import type { ArtifactStore } from '../contracts/artifact-store.js';
import { LogbookError } from '../errors.js';
import type { ArtifactBody, ArtifactDownload, FileInfo, PutArtifactOptions } from '../model/artifact.js';

const SCHEME = /^([a-zA-Z][a-zA-Z0-9+.-]*):/;

/**
 * An {@link ArtifactStore} made of several, each serving its own URI schemes: every call goes to
 * the store whose `schemes` include the scheme of the run's `artifactUri`. This lets one logbook
 * keep old runs on local disk (`file:`) while new ones go to an S3 bucket (`s3:`).
 */
export class RoutingArtifactStore implements ArtifactStore {
  readonly schemes: readonly string[];
  private closing: Promise<void> | undefined;

  /** @param stores earlier stores win when two serve the same scheme. */
  constructor(private readonly stores: readonly ArtifactStore[]) {
    this.schemes = [...new Set(stores.flatMap((s) => s.schemes))];
  }

  put(artifactUri: string, path: string, body: ArtifactBody, options?: PutArtifactOptions): Promise<FileInfo> {
    return this.storeFor(artifactUri).put(artifactUri, path, body, options);
  }

  get(artifactUri: string, path: string): Promise<ArtifactDownload> {
    return this.storeFor(artifactUri).get(artifactUri, path);
  }

  list(artifactUri: string, path?: string): Promise<readonly FileInfo[]> {
    return this.storeFor(artifactUri).list(artifactUri, path);
  }

  delete(artifactUri: string, path?: string): Promise<void> {
    return this.storeFor(artifactUri).delete(artifactUri, path);
  }

  /** Closes every store once. */
  close(): Promise<void> {
    this.closing ??= Promise.all(this.stores.map((s) => s.close())).then(() => undefined);
    return this.closing;
  }

  private storeFor(artifactUri: string): ArtifactStore {
    // A bare absolute path is a local file, as MLflow treats it.
    const scheme = (SCHEME.exec(artifactUri)?.[1] ?? 'file').toLowerCase();
    const store = this.stores.find((s) => s.schemes.includes(scheme));
    if (store === undefined) {
      throw new LogbookError(
        'INVALID_PARAMETER_VALUE',
        // The URI itself is not shown: it may be a path on the server.
        `[core] No artifact store serves the '${scheme}:' URIs of this run's artifacts; configured schemes: ${this.schemes.join(', ')}.`,
        { field: 'artifactUri' },
      );
    }
    return store;
  }
}
