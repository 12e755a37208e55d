import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isLogbookError } from '@logbook/core';
import { readAll } from '@logbook/testkit';
import { LocalArtifactStore } from '../../src/index.js';
import { errorCode, tempDir } from '../helpers.js';

/** The rejection of a call: its code, and its message (checked for server paths). */
async function refusal(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    if (isLogbookError(error)) return { code: error.code, message: error.message };
    throw error;
  }
  return { code: 'ok', message: '' };
}

describe('LocalArtifactStore: paths checked after resolution', () => {
  let dir: string;
  let remove: () => void;
  let runFolder: string;
  let root: string;
  let secret: string;
  const store = new LocalArtifactStore();
  beforeEach(async () => {
    ({ dir, remove } = tempDir());
    runFolder = join(dir, 'artifacts', '1', 'run', 'artifacts');
    root = pathToFileURL(runFolder).href;
    secret = join(dir, 'secret');
    mkdirSync(secret);
    writeFileSync(join(secret, 'passwd'), 'root:x:0:0');
    await store.put(root, 'ok.txt', Buffer.from('fine'));
  });
  afterEach(() => remove());

  describe('hostile artifact URIs (stored before locations were validated)', () => {
    it('refuses a query, fragment, encoded or relative URI instead of reading the folder before it', async () => {
      const secretUri = pathToFileURL(secret).href;
      const hostile = [
        `${secretUri}?x=/0123abcd/artifacts`,
        `${secretUri}#/0123abcd/artifacts`,
        `${secretUri}?/0123abcd/artifacts`,
        `${pathToFileURL(runFolder).href}/%2e%2e/%2e%2e/%2e%2e/%2e%2e/secret`,
        `${pathToFileURL(runFolder).href}/../../../../secret`,
        '../../secret',
        'file:secret',
      ];
      for (const uri of hostile) {
        const got = await refusal(store.get(uri, 'passwd'));
        expect(got.code, uri).toBe('INVALID_PARAMETER_VALUE');
        expect(got.message, uri).not.toContain(dir);
        expect(await errorCode(store.list(uri)), uri).toBe('INVALID_PARAMETER_VALUE');
        expect(await errorCode(store.put(uri, 'planted.txt', Buffer.from('x'))), uri).toBe('INVALID_PARAMETER_VALUE');
        expect(await errorCode(store.delete(uri, 'passwd')), uri).toBe('INVALID_PARAMETER_VALUE');
      }
      expect(readFileSync(join(secret, 'passwd'), 'utf8')).toBe('root:x:0:0');
      expect(existsSync(join(secret, 'planted.txt'))).toBe(false);
    });

    it('never serves the host root through file:///?', async () => {
      expect(await errorCode(store.get('file:///?/0123abcd/artifacts', 'etc/passwd'))).toBe('INVALID_PARAMETER_VALUE');
      expect(await errorCode(store.get('file:///#/0123abcd/artifacts', 'etc/passwd'))).toBe('INVALID_PARAMETER_VALUE');
    });
  });

  describe('symbolic links inside the run folder', () => {
    beforeEach(() => {
      symlinkSync(join(secret, 'passwd'), join(runFolder, 'leak'));
      symlinkSync(secret, join(runFolder, 'linkdir'));
      mkdirSync(join(runFolder, 'a'));
      symlinkSync(secret, join(runFolder, 'a', 'b'));
    });

    it('does not serve a file link, a linked folder, or a link in the middle of the path', async () => {
      for (const path of ['leak', 'linkdir/passwd', 'a/b/passwd']) {
        const got = await refusal(store.get(root, path));
        expect(got.code, path).toBe('PERMISSION_DENIED');
        expect(got.message, path).not.toContain(dir);
        expect(got.message, path).toContain(path);
      }
      expect((await readAll((await store.get(root, 'ok.txt')).stream)).toString()).toBe('fine');
    });

    it('does not list into a linked folder, and lists no link', async () => {
      expect(await errorCode(store.list(root, 'linkdir'))).toBe('PERMISSION_DENIED');
      expect(await errorCode(store.list(root, 'a/b'))).toBe('PERMISSION_DENIED');
      expect((await store.list(root)).map((f) => f.path)).toEqual(['a', 'ok.txt']);
    });

    it('does not write through a linked folder, even into folders not created yet', async () => {
      for (const path of ['linkdir/new.txt', 'linkdir/sub/new.txt', 'a/b/new.txt']) {
        expect(await errorCode(store.put(root, path, Buffer.from('x'))), path).toBe('PERMISSION_DENIED');
      }
      expect(existsSync(join(secret, 'new.txt'))).toBe(false);
      expect(existsSync(join(secret, 'sub'))).toBe(false);
    });

    it('replaces a file link by a file instead of writing into its target', async () => {
      await store.put(root, 'leak', Buffer.from('mine'));
      expect(readFileSync(join(secret, 'passwd'), 'utf8')).toBe('root:x:0:0');
      expect((await readAll((await store.get(root, 'leak')).stream)).toString()).toBe('mine');
    });

    it('does not delete through a link; deleting the link leaves its target', async () => {
      expect(await errorCode(store.delete(root, 'linkdir/passwd'))).toBe('PERMISSION_DENIED');
      expect(await errorCode(store.delete(root, 'a/b/passwd'))).toBe('PERMISSION_DENIED');
      await store.delete(root, 'linkdir');
      await store.delete(root, 'leak');
      expect(readFileSync(join(secret, 'passwd'), 'utf8')).toBe('root:x:0:0');
      expect((await store.list(root)).map((f) => f.path)).toEqual(['a', 'ok.txt']);
    });
  });

  describe('with a store root', () => {
    it('refuses run folders outside the root, or reached through a link that leaves it', async () => {
      const rooted = new LocalArtifactStore({ root: join(dir, 'artifacts') });
      expect((await readAll((await rooted.get(root, 'ok.txt')).stream)).toString()).toBe('fine');
      const outside = pathToFileURL(join(dir, 'elsewhere', 'r', 'artifacts')).href;
      expect(await errorCode(rooted.put(outside, 'x.txt', Buffer.from('x')))).toBe('PERMISSION_DENIED');
      expect(existsSync(join(dir, 'elsewhere'))).toBe(false);
      mkdirSync(join(secret, 'r', 'artifacts'), { recursive: true });
      writeFileSync(join(secret, 'r', 'artifacts', 'f.txt'), 'outside');
      symlinkSync(secret, join(dir, 'artifacts', '2'));
      const linked = pathToFileURL(join(dir, 'artifacts', '2', 'r', 'artifacts')).href;
      const got = await refusal(rooted.get(linked, 'f.txt'));
      expect(got.code).toBe('PERMISSION_DENIED');
      expect(got.message).not.toContain(dir);
      expect(await errorCode(rooted.list(linked))).toBe('PERMISSION_DENIED');
      expect(await errorCode(rooted.put(linked, 'g.txt', Buffer.from('x')))).toBe('PERMISSION_DENIED');
      expect(await errorCode(rooted.delete(linked))).toBe('PERMISSION_DENIED');
      expect(readFileSync(join(secret, 'r', 'artifacts', 'f.txt'), 'utf8')).toBe('outside');
    });
  });

  it('names the artifact path, never the server folder, in its errors', async () => {
    const missing = await refusal(store.get(root, 'missing/file.txt'));
    expect(missing.code).toBe('RESOURCE_DOES_NOT_EXIST');
    expect(missing.message).toContain("'missing/file.txt'");
    expect(missing.message).not.toContain(dir);
    await store.put(root, 'f', Buffer.from('x'));
    const underFile = await refusal(store.put(root, 'f/g.txt', Buffer.from('x')));
    expect(underFile.code).toBe('INVALID_PARAMETER_VALUE');
    expect(underFile.message).not.toContain(dir);
  });
});
