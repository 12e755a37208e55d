import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readAll } from '@logbook/testkit';
import { LocalArtifactStore } from '../../src/index.js';
import { errorCode, tempDir } from '../helpers.js';

describe('LocalArtifactStore', () => {
  let dir: string;
  let remove: () => void;
  let root: string;
  const store = new LocalArtifactStore({ maxArtifactSize: 1024 * 1024 });
  beforeEach(() => {
    ({ dir, remove } = tempDir());
    root = pathToFileURL(join(dir, 'run', 'artifacts')).href;
  });
  afterEach(() => remove());

  describe('.put', () => {
    it('writes Buffers, streams and files, creating folders; get streams them back', async () => {
      const src = join(dir, 'src.bin');
      writeFileSync(src, 'from a file');
      expect(await store.put(root, 'a/b/buf.txt', Buffer.from('hello'))).toEqual({ path: 'a/b/buf.txt', isDir: false, fileSize: 5 });
      await store.put(root, 'stream.txt', Readable.from([Buffer.from('str'), Buffer.from('eam')]));
      await store.put(root, 'copy.bin', { filePath: src });
      const got = await store.get(root, 'stream.txt');
      expect(got.size).toBe(6);
      expect((await readAll(got.stream)).toString()).toBe('stream');
      expect((await readAll((await store.get(root, 'copy.bin')).stream)).toString()).toBe('from a file');
    });

    it('never leaves a half file: a stream failing midway leaves neither target nor temp file', async () => {
      await store.put(root, 'keep.txt', Buffer.from('old'));
      const failing = new Readable({
        read() {
          this.push(Buffer.alloc(1000, 1));
          this.destroy(new Error('disk on fire'));
        },
      });
      await expect(store.put(root, 'keep.txt', failing)).rejects.toThrow(/disk on fire/);
      expect((await readAll((await store.get(root, 'keep.txt')).stream)).toString()).toBe('old');
      expect(readdirSync(join(dir, 'run', 'artifacts'))).toEqual(['keep.txt']);
    });

    it('refuses traversal and oversized bodies', async () => {
      for (const bad of ['../x', '/etc/passwd', 'a/%2e%2e/%2e%2e/x', 'a\\b']) {
        expect(await errorCode(store.put(root, bad, Buffer.from('x')))).toBe('INVALID_PARAMETER_VALUE');
      }
      expect(await errorCode(store.put(root, 'big', Buffer.alloc(10), { size: 2 * 1024 * 1024 }))).toBe('PAYLOAD_TOO_LARGE');
      expect(await errorCode(store.put(root, 'big', Readable.from([Buffer.alloc(600_000), Buffer.alloc(600_000)])))).toBe('PAYLOAD_TOO_LARGE');
      expect(await errorCode(store.get(root, 'big'))).toBe('RESOURCE_DOES_NOT_EXIST');
    });
  });

  describe('.list', () => {
    it('lists direct children, folders first then by name, with full relative paths', async () => {
      await store.put(root, 'z.txt', Buffer.from('1'));
      await store.put(root, 'a.txt', Buffer.from('22'));
      await store.put(root, 'm/x.txt', Buffer.from('333'));
      expect(await store.list(root)).toEqual([
        { path: 'm', isDir: true },
        { path: 'a.txt', isDir: false, fileSize: 2 },
        { path: 'z.txt', isDir: false, fileSize: 1 },
      ]);
      expect(await store.list(root, 'm')).toEqual([{ path: 'm/x.txt', isDir: false, fileSize: 3 }]);
      expect(await store.list(root, 'absent')).toEqual([]);
    });
  });

  describe('.delete', () => {
    it('deletes a file or a folder; absent paths are fine', async () => {
      await store.put(root, 'd/1.txt', Buffer.from('1'));
      await store.put(root, 'd/2.txt', Buffer.from('2'));
      await store.put(root, 'f.txt', Buffer.from('f'));
      await store.delete(root, 'd');
      await store.delete(root, 'nothing/here');
      expect((await store.list(root)).map((f) => f.path)).toEqual(['f.txt']);
    });
  });
});
