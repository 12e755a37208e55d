import { posix } from 'node:path';
import { DEFAULT_MAX_ARTIFACT_SIZE, LogbookError, isLogbookError } from '@logbook/core';
import type { ArtifactBody, ArtifactDownload, FileInfo, PutArtifactOptions } from '@logbook/core';
import type { ArtifactStore } from '@logbook/core/spi';
import { HttpTransport } from '../http/transport.js';
import type { TransportOptions } from '../http/transport.js';
import type { WireFileInfo } from '../wire.js';
import { ARTIFACTS_API, artifactRoute, joinPath, proxiedRoot } from './artifact-uri.js';
import { prepareBody } from './body.js';
import { multipartUpload } from './multipart.js';

/** Options of {@link MlflowArtifactStore}. */
export interface MlflowArtifactStoreOptions {
  /** Refuse larger artifacts before sending a byte. @default 5 GiB */
  readonly maxArtifactSize?: number;
  /** Files of at least this size try MLflow's proxied multipart upload first. @default 500 MiB (MLflow's) */
  readonly multipartThreshold?: number;
  /** Part size of multipart uploads. @default 10 MiB (MLflow's) */
  readonly multipartPartSize?: number;
}

const MIB = 1024 * 1024;

/**
 * Run artifacts through an MLflow server's artifact proxy (`/api/2.0/mlflow-artifacts/artifacts/…`,
 * the `mlflow-artifacts:` URIs of servers started with `--serve-artifacts`). Uploads and
 * downloads stream; the client needs no cloud credentials.
 */
export class MlflowArtifactStore implements ArtifactStore {
  readonly schemes: readonly string[] = ['mlflow-artifacts'];
  private readonly http: HttpTransport;
  private readonly ownsTransport: boolean;
  private multipart: boolean | undefined;

  constructor(
    server: TransportOptions | HttpTransport,
    private readonly options: MlflowArtifactStoreOptions = {},
  ) {
    this.ownsTransport = !(server instanceof HttpTransport);
    this.http = server instanceof HttpTransport ? server : new HttpTransport(server);
  }

  async put(artifactUri: string, path: string, body: ArtifactBody, options: PutArtifactOptions = {}): Promise<FileInfo> {
    const { full, relative } = joinPath(proxiedRoot(artifactUri), path);
    if (relative === '') throw new LogbookError('INVALID_PARAMETER_VALUE', '[mlflow] An artifact path is required to put a file (path).', { field: 'path' });
    const prepared = await prepareBody(body, options.size, this.options.maxArtifactSize ?? DEFAULT_MAX_ARTIFACT_SIZE, relative);
    const threshold = this.options.multipartThreshold ?? 500 * MIB;
    if (this.multipart !== false && prepared.size !== undefined && prepared.size >= threshold && prepared.slice !== undefined) {
      const result = await multipartUpload(this.http, full, prepared, this.options.multipartPartSize ?? 10 * MIB);
      if (result === 'uploaded') return { path: relative, isDir: false, fileSize: prepared.size };
      this.multipart = false; // 501: this server's destination has no multipart; single PUTs from now on
    }
    const response = await this.http.send({
      method: 'PUT',
      path: artifactRoute('artifacts', full),
      headers: {
        'content-type': options.contentType ?? 'application/octet-stream',
        ...(prepared.size === undefined ? {} : { 'content-length': String(prepared.size) }),
      },
      body: () => prepared.open(),
      replayable: prepared.replayable,
    });
    await response.body.dump();
    return { path: relative, isDir: false, fileSize: prepared.size ?? prepared.sent() };
  }

  async get(artifactUri: string, path: string): Promise<ArtifactDownload> {
    const { full, relative } = joinPath(proxiedRoot(artifactUri), path);
    let response;
    try {
      response = await this.http.send({ method: 'GET', path: artifactRoute('artifacts', full) });
    } catch (error) {
      // MLflow answers a missing file with a bare 404 (ENDPOINT_NOT_FOUND from the status) or its
      // own RESOURCE_DOES_NOT_EXIST; both mean the same here.
      if (isLogbookError(error, 'ENDPOINT_NOT_FOUND', 'RESOURCE_DOES_NOT_EXIST')) {
        throw new LogbookError('RESOURCE_DOES_NOT_EXIST', `[mlflow] No artifact '${relative}' under ${artifactUri}.`, { field: 'path', cause: error });
      }
      throw error;
    }
    const length = Number(response.headers['content-length']);
    const type = response.headers['content-type'];
    return {
      stream: response.body,
      ...(Number.isFinite(length) && response.headers['content-length'] !== undefined ? { size: length } : {}),
      ...(typeof type === 'string' ? { contentType: type } : {}),
    };
  }

  async list(artifactUri: string, path?: string): Promise<readonly FileInfo[]> {
    const { full, relative } = joinPath(proxiedRoot(artifactUri), path);
    const res = await this.http.call<{ files?: WireFileInfo[] }>('GET', `${ARTIFACTS_API}/artifacts`, { query: { path: full === '' ? undefined : full } });
    const files = res.files ?? [];
    // Listing a file answers that file itself (basename, not a dir): a file has no children.
    if (files.length === 1 && !files[0]!.is_dir && relative !== '' && files[0]!.path === posix.basename(relative)) return [];
    return files
      .map(
        (f): FileInfo => ({
          path: relative === '' ? f.path : `${relative}/${f.path}`,
          isDir: f.is_dir === true,
          // proto3 JSON omits a file_size of 0: an empty file has no size key.
          ...(f.is_dir === true ? {} : { fileSize: Number(f.file_size ?? 0) }),
        }),
      )
      .sort((a, b) => (a.isDir === b.isDir ? (a.path < b.path ? -1 : a.path > b.path ? 1 : 0) : a.isDir ? -1 : 1));
  }

  async delete(artifactUri: string, path?: string): Promise<void> {
    const { full } = joinPath(proxiedRoot(artifactUri), path);
    try {
      const response = await this.http.send({ method: 'DELETE', path: artifactRoute('artifacts', full) });
      await response.body.dump();
    } catch (error) {
      if (isLogbookError(error, 'ENDPOINT_NOT_FOUND', 'RESOURCE_DOES_NOT_EXIST')) return;
      throw error;
    }
  }

  /** Closes the connection pool if this store created it; idempotent. */
  async close(): Promise<void> {
    if (this.ownsTransport) await this.http.close();
  }

  /** Same as `close()`: tsyringe's `Disposable`, for containers that dispose what they hold. */
  dispose(): Promise<void> {
    return this.close();
  }
}
