// One timed transfer (upload, then download) through either the raw SDK (lib-storage `Upload`,
// `GetObject` piped to a file) or S3ArtifactStore, with the same part settings. Runs in a child
// process of its own (fixtures/transfer-child.ts) so that process's peak RSS is the transfer's.
// No vitest imports: the benchmark bundles it too.
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, readFileSync, statSync } from 'node:fs';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { CreateBucketCommand, DeleteObjectCommand, GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { S3ArtifactStore } from '../../src/index.js';

/** What the child is asked to do (passed as JSON in argv[2]). */
export interface TransferJob {
  readonly endpoint: string;
  readonly bucket: string;
  readonly mode: 'raw' | 'store';
  /** Upload a file from disk, or `generateBytes` produced by a stream (never a whole buffer). */
  readonly source: { readonly filePath: string } | { readonly generateBytes: number };
  /** Download into this file; `/dev/null` to discard. Omitted: no download. */
  readonly downloadTo?: string;
  readonly partSize: number;
  readonly queueSize: number;
}

/** What the child reports (the last line of its stdout). */
export interface TransferResult {
  readonly bytes: number;
  readonly uploadSeconds: number;
  readonly downloadSeconds?: number;
  /**
   * process.resourceUsage().maxRSS of the child, in MB. On Linux this survives execve, so it
   * includes the RSS of the process that spawned the child (a vitest worker: ~200 MB).
   */
  readonly maxRssMb: number;
  /** The child's own peak RSS in MB: VmHWM from /proc/self/status (reset at exec), else maxRssMb. */
  readonly peakRssMb: number;
  /** RSS once the code is loaded, before the transfer, in MB. */
  readonly baselineRssMb: number;
  /** SHA-256 of what was downloaded. */
  readonly downloadSha256?: string;
}

const credentials = { accessKeyId: 'logbook-test', secretAccessKey: 'logbook-test-secret' };
const MiB = 1024 * 1024;

function client(endpoint: string): S3Client {
  return new S3Client({
    endpoint,
    region: 'auto',
    forcePathStyle: true,
    credentials,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}

/** Creates a bucket (arrangement for the benchmark). */
export async function createBucket(endpoint: string, bucket: string): Promise<void> {
  const raw = client(endpoint);
  await raw.send(new CreateBucketCommand({ Bucket: bucket }));
  raw.destroy();
}

/** Deletes what a job stored (moto keeps objects in memory). */
export async function deleteTransferred(endpoint: string, bucket: string): Promise<void> {
  const raw = client(endpoint);
  for (const Key of ['bench/raw.bin', 'bench/store.bin']) await raw.send(new DeleteObjectCommand({ Bucket: bucket, Key }));
  raw.destroy();
}

/** A stream of `bytes` pseudo-random bytes, one MiB block at a time. */
export function generated(bytes: number): Readable {
  const block = randomBytes(MiB);
  return Readable.from(
    (function* () {
      for (let left = bytes; left > 0; left -= MiB) yield left >= MiB ? block : block.subarray(0, left);
    })(),
    { objectMode: false },
  );
}

/** A pass-through that hashes what flows (to check the download without keeping it). */
function hasher(): { stage: Transform; digest: () => string } {
  const hash = createHash('sha256');
  const stage = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      hash.update(chunk);
      callback(null, chunk);
    },
  });
  return { stage, digest: () => hash.digest('hex') };
}

/** Peak RSS of this process image in MB (see {@link TransferResult.peakRssMb}). */
export function peakRssMb(): number {
  try {
    const match = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (match !== null) return Math.round(Number(match[1]) / 1024);
  } catch {
    // not Linux
  }
  return Math.round(process.resourceUsage().maxRSS / 1024);
}

const seconds = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e9;

/** Runs one transfer job and measures it. */
export async function runTransfer(job: TransferJob): Promise<TransferResult> {
  const open = () => ('filePath' in job.source ? createReadStream(job.source.filePath, { highWaterMark: MiB }) : generated(job.source.generateBytes));
  const key = `bench/${job.mode}.bin`;
  const raw = client(job.endpoint);
  const store = new S3ArtifactStore({ bucket: job.bucket, endpoint: job.endpoint, forcePathStyle: true, ...credentials, partSize: job.partSize, queueSize: job.queueSize });
  const root = `s3://${job.bucket}/bench`;
  const baselineRssMb = Math.round(process.memoryUsage().rss / MiB);
  let start = process.hrtime.bigint();
  let bytes: number;
  if (job.mode === 'raw') {
    const upload = new Upload({ client: raw, params: { Bucket: job.bucket, Key: key, Body: open() }, partSize: job.partSize, queueSize: job.queueSize });
    await upload.done();
    bytes = 'filePath' in job.source ? statSync(job.source.filePath).size : job.source.generateBytes;
  } else {
    const body = 'filePath' in job.source ? { filePath: job.source.filePath } : open();
    bytes = (await store.put(root, `${job.mode}.bin`, body)).fileSize as number;
  }
  const uploadSeconds = seconds(start);
  let download: { downloadSeconds: number; downloadSha256: string } | undefined;
  if (job.downloadTo !== undefined) {
    const check = hasher();
    start = process.hrtime.bigint();
    const stream = job.mode === 'raw' ? ((await raw.send(new GetObjectCommand({ Bucket: job.bucket, Key: key }))).Body as Readable) : (await store.get(root, `${job.mode}.bin`)).stream;
    await pipeline(stream, check.stage, createWriteStream(job.downloadTo));
    download = { downloadSeconds: seconds(start), downloadSha256: check.digest() };
  }
  raw.destroy();
  await store.close();
  return { bytes, uploadSeconds, ...download, maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024), peakRssMb: peakRssMb(), baselineRssMb };
}
