// Shared fixtures of the S3 tests: moto's endpoint from the global setup, a raw SDK client for
// arranging and inspecting buckets behind the store's back, and store options pointing at moto.
import { randomUUID } from 'node:crypto';
import { CreateBucketCommand, GetObjectCommand, ListMultipartUploadsCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { describe, inject } from 'vitest';
import type { S3ArtifactStoreOptions } from '../../src/index.js';

/** moto's endpoint; `''` when the run skips S3 (LOGBOOK_SKIP_S3=1). */
export const endpoint = inject('s3Endpoint');

/** `describe` that skips when no S3 server was started. */
export const describeS3 = describe.skipIf(endpoint === '');

/** Credentials moto accepts (it does not check them unless told to). */
export const testCredentials = { accessKeyId: 'logbook-test', secretAccessKey: 'logbook-test-secret' } as const;

/** A raw SDK client for test arrangement and inspection. */
export function rawClient(url: string = endpoint): S3Client {
  return new S3Client({
    endpoint: url,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: testCredentials,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}

/** Creates a bucket with a unique name and returns the name. */
export async function newBucket(label: string, client: S3Client = rawClient()): Promise<string> {
  const name = `${label}-${randomUUID().slice(0, 8)}`;
  await client.send(new CreateBucketCommand({ Bucket: name }));
  return name;
}

/** Store options for a bucket on moto. */
export function storeOptions(bucket: string, extra: Partial<S3ArtifactStoreOptions> = {}): S3ArtifactStoreOptions {
  return { bucket, prefix: 'logbook', endpoint, forcePathStyle: true, ...testCredentials, ...extra };
}

/** Multipart uploads still open in a bucket (orphans, when an upload failed). */
export async function openUploads(client: S3Client, bucket: string): Promise<number> {
  const result = await client.send(new ListMultipartUploadsCommand({ Bucket: bucket }));
  return result.Uploads?.length ?? 0;
}

/** Reads a stream to one Buffer (test-sized data only). */
export async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string));
  return Buffer.concat(chunks);
}

/** Keys under a prefix, read with the raw SDK (first page, test-sized buckets). */
export async function listKeys(client: S3Client, bucket: string, prefix: string): Promise<string[]> {
  const listed = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }));
  return (listed.Contents ?? []).flatMap((o) => (o.Key === undefined ? [] : [o.Key]));
}

/** An object's bytes, read with the raw SDK. */
export async function objectBytes(client: S3Client, bucket: string, key: string): Promise<Buffer> {
  const object = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return Buffer.from(await (object.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray());
}
