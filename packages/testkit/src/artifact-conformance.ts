import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { ArtifactStore } from '@logbook/core/spi';
import type { ArtifactFixture, ConformanceOptions, StoreFactory } from './fixture.js';
import { expectCode, readAll, useFixture } from './support.js';

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/**
 * Registers vitest tests that check an {@link ArtifactStore}: put from a Buffer, a Uint8Array,
 * a stream or a file path; get as a stream with its size; listing of direct children with full
 * relative paths (directories first); overwrite; delete of files and directories; path traversal
 * rejected; a multi-megabyte binary round-trip byte for byte.
 *
 * Every test writes under its own root from `fixture.newRoot()`, so one bucket or server can
 * serve the whole suite.
 *
 * @example
 * ```ts
 * runArtifactConformance(async () => {
 *   const dir = await mkdtemp(join(tmpdir(), 'artifacts-'));
 *   const store = new LocalArtifactStore();
 *   return { store, newRoot: () => pathToFileURL(join(dir, randomUUID())).href, cleanup: () => store.close() };
 * });
 * ```
 */
export function runArtifactConformance(factory: StoreFactory<ArtifactFixture>, options: ConformanceOptions = {}): void {
  describe(options.name ?? 'ArtifactStore conformance', () => {
    const fixture = useFixture(factory);
    const store = (): ArtifactStore => fixture().store;
    const root = async (): Promise<string> => fixture().newRoot();
    const text = async (uri: string, path: string) => (await readAll((await store().get(uri, path)).stream)).toString('utf8');

    it('stores bytes from a Buffer and a Uint8Array and reads them back with their size', async () => {
      const uri = await root();
      const info = await store().put(uri, 'notes.txt', Buffer.from('hello'));
      expect(info).toMatchObject({ path: 'notes.txt', isDir: false, fileSize: 5 });
      await store().put(uri, 'raw.bin', new Uint8Array([0, 255, 1]));
      const download = await store().get(uri, 'notes.txt');
      expect((await readAll(download.stream)).toString()).toBe('hello');
      if (download.size !== undefined) expect(download.size).toBe(5);
      expect([...(await readAll((await store().get(uri, 'raw.bin')).stream))]).toEqual([0, 255, 1]);
    });

    it('stores and lists an empty file', async () => {
      const uri = await root();
      await store().put(uri, 'empty.txt', Buffer.alloc(0));
      expect((await readAll((await store().get(uri, 'empty.txt')).stream)).length).toBe(0);
      // MLflow's JSON omits file_size 0 (a proto3 default): adapters read its absence on a file as 0.
      expect((await store().list(uri)).map((f) => [f.path, f.isDir, f.fileSize])).toEqual([['empty.txt', false, 0]]);
    });

    it('stores a stream and a file from disk', async () => {
      const uri = await root();
      const info = await store().put(uri, 'nested/streamed.txt', Readable.from([Buffer.from('part1-'), Buffer.from('part2')]));
      expect(info).toMatchObject({ path: 'nested/streamed.txt', isDir: false });
      await store().put(uri, 'streamed.txt', Readable.from([Buffer.from('part1-'), Buffer.from('part2')]));
      expect(await text(uri, 'streamed.txt')).toBe('part1-part2');
      const dir = await mkdtemp(join(tmpdir(), 'lbk-testkit-'));
      try {
        const file = join(dir, 'weights.bin');
        await writeFile(file, 'from disk');
        await store().put(uri, 'model/weights.bin', { filePath: file });
        expect(await text(uri, 'model/weights.bin')).toBe('from disk');
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });

    it('lists direct children with full relative paths, directories first then by name', async () => {
      const uri = await root();
      await store().put(uri, 'b.txt', Buffer.from('bb'));
      await store().put(uri, 'a.txt', Buffer.from('a'));
      await store().put(uri, 'dir/c.txt', Buffer.from('ccc'));
      await store().put(uri, 'dir/sub/d.txt', Buffer.from('d'));
      const top = await store().list(uri);
      expect(top.map((f) => [f.path, f.isDir])).toEqual([
        ['dir', true],
        ['a.txt', false],
        ['b.txt', false],
      ]);
      expect(top.find((f) => f.path === 'b.txt')?.fileSize).toBe(2);
      const nested = await store().list(uri, 'dir');
      expect(nested.map((f) => [f.path, f.isDir, f.fileSize])).toEqual([
        ['dir/sub', true, undefined],
        ['dir/c.txt', false, 3],
      ]);
      expect((await store().list(uri, 'dir/sub')).map((f) => f.path)).toEqual(['dir/sub/d.txt']);
    });

    it('lists nothing under a path that holds no files', async () => {
      const uri = await root();
      expect(await store().list(uri)).toEqual([]);
      expect(await store().list(uri, 'nothing/here')).toEqual([]);
    });

    it('keeps names with spaces and non-ASCII characters', async () => {
      const uri = await root();
      await store().put(uri, 'reports/résumé 1.txt', Buffer.from('ok'));
      expect((await store().list(uri, 'reports')).map((f) => f.path)).toEqual(['reports/résumé 1.txt']);
      expect(await text(uri, 'reports/résumé 1.txt')).toBe('ok');
    });

    it('overwrites a file put twice at the same path', async () => {
      const uri = await root();
      await store().put(uri, 'f.txt', Buffer.from('first version'));
      await store().put(uri, 'f.txt', Buffer.from('second'));
      expect(await text(uri, 'f.txt')).toBe('second');
      expect((await store().list(uri)).map((f) => [f.path, f.fileSize])).toEqual([['f.txt', 6]]);
    });

    it('deletes a file, a directory with everything under it, and ignores absent paths', async () => {
      const uri = await root();
      await store().put(uri, 'keep.txt', Buffer.from('k'));
      await store().put(uri, 'gone.txt', Buffer.from('g'));
      await store().put(uri, 'tree/a.txt', Buffer.from('a'));
      await store().put(uri, 'tree/deep/b.txt', Buffer.from('b'));
      await store().delete(uri, 'gone.txt');
      await store().delete(uri, 'tree');
      await store().delete(uri, 'never/was.txt');
      expect((await store().list(uri)).map((f) => f.path)).toEqual(['keep.txt']);
      await expectCode(store().get(uri, 'tree/deep/b.txt'), 'RESOURCE_DOES_NOT_EXIST');
      await store().delete(uri);
      expect(await store().list(uri)).toEqual([]);
    });

    it('answers RESOURCE_DOES_NOT_EXIST for a file that is not there', async () => {
      const uri = await root();
      await expectCode(store().get(uri, 'missing.txt'), 'RESOURCE_DOES_NOT_EXIST');
    });

    it('rejects path traversal, absolute and encoded paths with INVALID_PARAMETER_VALUE', async () => {
      const uri = await root();
      for (const path of ['../escape.txt', 'a/../../escape.txt', '/etc/passwd', '%2e%2e/escape.txt', '..%2fescape.txt', 'a\\..\\b']) {
        await expectCode(store().put(uri, path, Buffer.from('x')), 'INVALID_PARAMETER_VALUE');
        await expectCode(store().get(uri, path), 'INVALID_PARAMETER_VALUE');
        await expectCode(store().list(uri, path), 'INVALID_PARAMETER_VALUE');
        await expectCode(store().delete(uri, path), 'INVALID_PARAMETER_VALUE');
      }
    });

    it('round-trips a multi-megabyte binary file byte for byte', async () => {
      const uri = await root();
      const payload = randomBytes(6 * 1024 * 1024 + 123);
      const chunks = Array.from({ length: Math.ceil(payload.length / 65_536) }, (_, i) => payload.subarray(i * 65_536, (i + 1) * 65_536));
      await store().put(uri, 'big/blob.bin', Readable.from(chunks), { size: payload.length });
      const download = await store().get(uri, 'big/blob.bin');
      const back = await readAll(download.stream);
      expect(back.length).toBe(payload.length);
      expect(sha256(back)).toBe(sha256(payload));
      expect((await store().list(uri, 'big'))[0]?.fileSize).toBe(payload.length);
    });
  });
}
