import { DeleteObjectsCommand, HeadObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import type { S3Client, _Object } from '@aws-sdk/client-s3';
import type { FileInfo } from '@logbook/core';
import { toLogbookError } from './errors.js';
import { readMetadata } from './metadata.js';

/** A directory (or file) inside an artifact root. */
export interface Place {
  readonly bucket: string;
  /** The artifact root's key prefix; listed paths are relative to it. */
  readonly rootKey?: string;
  /** Key of the listed directory or deleted path; `''` is the bucket root. */
  readonly key: string;
  readonly target: string;
}

const dirPrefix = (key: string): string => (key === '' ? '' : `${key}/`);

/** Every page of a listing under `prefix`, with or without a `/` delimiter. */
async function* pages(client: S3Client, bucket: string, prefix: string, delimiter: boolean, pageSize: number, target: string) {
  let token: string | undefined;
  do {
    try {
      const page = await client.send(
        new ListObjectsV2Command({
          Bucket: bucket,
          Prefix: prefix,
          MaxKeys: pageSize,
          ...(delimiter ? { Delimiter: '/' } : {}),
          ...(token === undefined ? {} : { ContinuationToken: token }),
        }),
      );
      yield page;
      token = page.IsTruncated === true ? page.NextContinuationToken : undefined;
    } catch (error) {
      throw toLogbookError(error, 'list', target);
    }
  } while (token !== undefined);
}

/** The original size of a gzip-stored object (from its metadata), else its stored size. */
async function originalSize(client: S3Client, bucket: string, object: _Object): Promise<number | undefined> {
  const head = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: object.Key }));
  return readMetadata(head.Metadata).size ?? object.Size;
}

/**
 * Direct children of a directory, directories first, then by name, as MLflow lists them. A file
 * path lists as empty. With `originalSizes`, each file is HEAD-ed so that gzip-stored artifacts
 * report their uncompressed size (one request per file; only stores that compress ask for it).
 */
export async function listChildren(client: S3Client, place: Place, options: { pageSize: number; originalSizes: boolean }): Promise<FileInfo[]> {
  const prefix = dirPrefix(place.key);
  const strip = dirPrefix(place.rootKey ?? '').length;
  const dirs: FileInfo[] = [];
  const files: FileInfo[] = [];
  for await (const page of pages(client, place.bucket, prefix, true, options.pageSize, place.target)) {
    for (const common of page.CommonPrefixes ?? []) {
      if (common.Prefix !== undefined) dirs.push({ path: common.Prefix.slice(strip, -1), isDir: true });
    }
    const objects = (page.Contents ?? []).filter((o) => o.Key !== undefined && o.Key !== prefix);
    const sizes = options.originalSizes ? await Promise.all(objects.map((o) => originalSize(client, place.bucket, o).catch(() => o.Size))) : objects.map((o) => o.Size);
    objects.forEach((o, i) => {
      const size = sizes[i];
      files.push({ path: (o.Key as string).slice(strip), isDir: false, ...(size === undefined ? {} : { fileSize: size }) });
    });
  }
  const byPath = (a: FileInfo, b: FileInfo) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
  return [...dirs.sort(byPath), ...files.sort(byPath)];
}

/**
 * Deletes the object at `key` and every object under `key/` (a file or a whole directory), in
 * batches of up to 1000 keys. Absent paths are not an error.
 */
export async function deleteUnder(client: S3Client, place: Place, pageSize: number): Promise<void> {
  const batches: string[][] = place.key === '' ? [] : [[place.key]];
  for await (const page of pages(client, place.bucket, dirPrefix(place.key), false, pageSize, place.target)) {
    const keys = (page.Contents ?? []).flatMap((o) => (o.Key === undefined ? [] : [o.Key]));
    if (keys.length > 0) batches.push(keys);
  }
  for (const keys of batches) {
    try {
      const result = await client.send(
        new DeleteObjectsCommand({
          Bucket: place.bucket,
          Delete: { Objects: keys.map((Key) => ({ Key })), Quiet: true },
        }),
      );
      const failed = result.Errors?.[0];
      if (failed !== undefined) throw Object.assign(new Error(failed.Message ?? 'delete failed'), { name: failed.Code ?? 'DeleteFailed' });
    } catch (error) {
      throw toLogbookError(error, 'delete', place.target);
    }
  }
}
