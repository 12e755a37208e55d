/*
 * Artifact transfer throughput and memory, on demand: `pnpm bench:artifacts [--size-mib N]`
 * (default 1024, i.e. a 1 GiB file).
 *
 * Starts its own moto server (the pinned version, from the project virtualenv), writes a file of
 * random bytes to disk, then uploads it and downloads it back to a file twice, each time in a fresh
 * child process with the same part settings (8 MiB parts, 4 in parallel):
 *   (a) raw: the plain SDK, @aws-sdk/lib-storage `Upload` and `GetObject` piped to a file;
 *   (b) store: S3ArtifactStore `put({ filePath })` and `get()` piped to a file (this includes
 *       hashing the file before upload and checking the SHA-256 on download).
 * Each download is checked against the file's SHA-256. Ratios are throughputs of (b) / (a); the
 * peak RSS is the (b) child's own (VmHWM). moto keeps objects in memory: that is the server's RSS,
 * not ours. Last line: {"bench":"artifacts","ratios":{…},"peakRssMb":…}.
 *
 * Run with `node bench/support/run.mjs bench/artifacts.ts`, which bundles this file from sources;
 * the children are this same bundle started with `--child <job JSON>`.
 */
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { startMotoServer } from '../test/setup/moto-server.js';
import { createBucket, deleteTransferred, runTransfer } from '../packages/s3/test/support/transfer.js';
import type { TransferJob, TransferResult } from '../packages/s3/test/support/transfer.js';

const MiB = 1024 * 1024;

async function child(job: TransferJob): Promise<TransferResult> {
  const proc = spawn(process.execPath, [process.argv[1] as string, '--child', JSON.stringify(job)], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  proc.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString();
  });
  const [code] = (await once(proc, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`bench child (${job.mode}) exited with ${code}`);
  return JSON.parse(out.trim().split('\n').pop() as string) as TransferResult;
}

async function writeRandomFile(path: string, bytes: number): Promise<string> {
  const hash = createHash('sha256');
  const file = createWriteStream(path);
  const block = randomBytes(MiB);
  for (let left = bytes; left > 0; left -= MiB) {
    const chunk = left >= MiB ? randomBytes(MiB) : block.subarray(0, left);
    hash.update(chunk);
    if (!file.write(chunk)) await once(file, 'drain');
  }
  file.end();
  await once(file, 'finish');
  return hash.digest('hex');
}

async function main(): Promise<void> {
  const sizeArg = process.argv.indexOf('--size-mib');
  const size = (sizeArg > 0 ? Number(process.argv[sizeArg + 1]) : 1024) * MiB;
  const dir = await mkdtemp(join(tmpdir(), 'logbook-bench-artifacts-'));
  const moto = await startMotoServer();
  try {
    const source = join(dir, 'artifact.bin');
    const sha256 = await writeRandomFile(source, size);
    await createBucket(moto.endpoint, 'bench');
    const results: Partial<Record<TransferJob['mode'], TransferResult>> = {};
    for (const mode of ['raw', 'store'] as const) {
      const result = await child({
        endpoint: moto.endpoint,
        bucket: 'bench',
        mode,
        source: { filePath: source },
        downloadTo: join(dir, `${mode}.out`),
        partSize: 8 * MiB,
        queueSize: 4,
      });
      if (result.downloadSha256 !== sha256) throw new Error(`${mode}: downloaded bytes differ from the file`);
      results[mode] = result;
      await deleteTransferred(moto.endpoint, 'bench');
      await rm(join(dir, `${mode}.out`), { force: true });
      const mbps = (s: number | undefined) => (size / MiB / (s ?? Number.NaN)).toFixed(1);
      console.log(
        `${mode.padEnd(5)} upload ${mbps(result.uploadSeconds)} MiB/s  download ${mbps(result.downloadSeconds)} MiB/s  peak RSS ${result.peakRssMb} MB (baseline ${result.baselineRssMb} MB)`,
      );
    }
    const raw = results.raw as TransferResult;
    const store = results.store as TransferResult;
    const round = (x: number) => Math.round(x * 100) / 100;
    console.log(
      JSON.stringify({
        bench: 'artifacts',
        ratios: {
          store_vs_raw_upload: round(raw.uploadSeconds / store.uploadSeconds),
          store_vs_raw_download: round((raw.downloadSeconds as number) / (store.downloadSeconds as number)),
        },
        peakRssMb: store.peakRssMb,
      }),
    );
  } finally {
    await moto.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--child') {
  runTransfer(JSON.parse(process.argv[3] as string) as TransferJob).then(
    (result) => {
      process.stdout.write(`${JSON.stringify(result)}\n`);
    },
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
} else {
  await main();
}
