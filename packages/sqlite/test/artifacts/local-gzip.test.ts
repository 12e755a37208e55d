import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogbook } from '@logbook/core';
import { readAll } from '@logbook/testkit';
import { LocalArtifactStore } from '../../src/index.js';
import { GZIP_MAGIC } from '../../src/artifacts/gzip-file.js';
import { tempDir } from '../helpers.js';

describe('LocalArtifactStore with compress (artifactCompression)', () => {
  let dir: string;
  let remove: () => void;
  let root: string;
  beforeEach(() => {
    ({ dir, remove } = tempDir('logbook-gzip-'));
    root = pathToFileURL(join(dir, 'run', 'artifacts')).href;
  });
  afterEach(() => remove());

  const onDisk = (path: string): Buffer => readFileSync(join(fileURLToPath(root), path));
  const read = async (store: LocalArtifactStore, path: string): Promise<{ bytes: Buffer; size: number | undefined }> => {
    const download = await store.get(root, path);
    return { bytes: await readAll(download.stream), size: download.size };
  };

  it('stores gzip after a header on disk, and gives back the bytes, size and listed size that were written', async () => {
    const store = new LocalArtifactStore({ compress: true });
    const text = Buffer.from('epoch 1 loss 0.25 — ünïcode 🛰️\n'.repeat(5000));
    const info = await store.put(root, 'logs/train.log', Readable.from([text.subarray(0, 1000), text.subarray(1000)]));
    expect(info.fileSize).toBe(text.length);
    const stored = onDisk('logs/train.log');
    expect(stored.subarray(0, 8).equals(GZIP_MAGIC)).toBe(true);
    expect([stored[16], stored[17]]).toEqual([0x1f, 0x8b]);
    expect(stored.length).toBeLessThan(text.length / 10);
    expect(await read(store, 'logs/train.log')).toEqual({ bytes: text, size: text.length });
    expect(await store.list(root, 'logs')).toEqual([{ path: 'logs/train.log', isDir: false, fileSize: text.length }]);
  });

  it('reads files written with the option off, and a store with it off reads compressed files', async () => {
    const plain = new LocalArtifactStore();
    const gzip = new LocalArtifactStore({ compress: true });
    await plain.put(root, 'old.txt', Buffer.from('before'));
    await gzip.put(root, 'new.txt', Buffer.from('after'));
    expect((await read(gzip, 'old.txt')).bytes.toString()).toBe('before');
    expect((await read(plain, 'new.txt')).bytes.toString()).toBe('after');
    expect(onDisk('old.txt').toString()).toBe('before');
  });

  it('stores compressed a plain upload that starts with the header signature, so it reads back unchanged', async () => {
    const store = new LocalArtifactStore();
    const tricky = Buffer.concat([GZIP_MAGIC, Buffer.alloc(8), Buffer.from('not gzip at all')]);
    await store.put(root, 'tricky.bin', tricky);
    expect(await read(store, 'tricky.bin')).toEqual({ bytes: tricky, size: tricky.length });
    expect((await store.list(root))[0]).toMatchObject({ fileSize: tricky.length });
  });

  it('fails the download with DATA_LOSS naming the artifact when the compressed file is corrupt', async () => {
    const store = new LocalArtifactStore({ compress: true });
    await store.put(root, 'model.bin', Buffer.alloc(100_000, 7));
    const path = join(fileURLToPath(root), 'model.bin');
    const stored = readFileSync(path);
    writeFileSync(path, Buffer.concat([stored.subarray(0, 16), Buffer.from('garbage, not a gzip stream')]));
    const download = await store.get(root, 'model.bin');
    await expect(readAll(download.stream)).rejects.toMatchObject({ code: 'DATA_LOSS', field: 'path' });
  });

  it('refuses an artifact past maxArtifactSize by its original size, leaving no file', async () => {
    const store = new LocalArtifactStore({ compress: true, maxArtifactSize: 1000 });
    await expect(store.put(root, 'big.bin', Readable.from([Buffer.alloc(800), Buffer.alloc(800)]))).rejects.toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
    expect(await store.list(root)).toEqual([]);
  });

  it('is what createLogbook uses for a SQLite tracking URI with artifactCompression, instead of refusing to start', async () => {
    const logbook = await createLogbook({ trackingUri: join(dir, 'runs.db'), artifactCompression: true, spool: { enabled: false }, logging: { drainOnExit: false } }, { env: {}, cwd: dir });
    try {
      expect(logbook.stores.artifacts.compresses).toBe(true);
      const runId = await logbook.tracker.startRun(await logbook.tracker.getOrCreateExperiment('gzip'));
      const run = await logbook.tracker.getRun(runId);
      await logbook.stores.artifacts.put(run.info.artifactUri, 'a.txt', Buffer.from('x'.repeat(10_000)));
      const stored = readFileSync(join(fileURLToPath(run.info.artifactUri), 'a.txt'));
      expect(stored.subarray(0, 8).equals(GZIP_MAGIC)).toBe(true);
      expect((await readAll((await logbook.stores.artifacts.get(run.info.artifactUri, 'a.txt')).stream)).toString()).toBe('x'.repeat(10_000));
    } finally {
      await logbook.close();
    }
  });
});
