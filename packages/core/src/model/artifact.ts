import type { Readable } from 'node:stream';

/** One entry of an artifact listing. */
export interface FileInfo {
  /** Path relative to the artifact root that was listed (full relative path, `/`-separated). */
  readonly path: string;
  readonly isDir: boolean;
  /** Bytes; absent for directories. */
  readonly fileSize?: number;
}

/** What can be stored as an artifact: bytes in memory, a stream, or a file on disk (streamed). */
export type ArtifactBody = Buffer | Uint8Array | Readable | { readonly filePath: string };

/** Options of `ArtifactStore.put` (`@logbook/core/spi`). */
export interface PutArtifactOptions {
  readonly contentType?: string;
  /** Size in bytes when known in advance (lets stores check limits before sending a byte). */
  readonly size?: number;
}

/** A downloaded artifact: a stream to consume once, plus what is known about it. */
export interface ArtifactDownload {
  readonly stream: Readable;
  readonly size?: number;
  readonly contentType?: string;
}
