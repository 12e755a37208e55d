// A 512 MiB model streams into the artifact store and back out under 200 MB of resident memory:
// a child process (nothing else in it) generates the bytes on the fly, registers them with
// createModelVersion on SQLite + local artifacts, reads them back through openModelVersion, and
// reports the kernel's peak RSS of its own process (getrusage maxrss), every byte hashed both ways.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareChildPackages } from '../spool/support/child-packages.js';
import type { ChildPackages } from '../spool/support/child-packages.js';

const run = promisify(execFile);
const MIB = 1024 * 1024;
const SIZE_MIB = 512;
const RSS_LIMIT = 200 * 1000 * 1000;

const STREAMER = `
import 'reflect-metadata';
import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { ModelRegistry, ModelVersioning, SHA256_TAG, SIZE_TAG } from '../../packages/core/src/index.js';
import { LocalArtifactStore, SqliteStore } from '../../packages/sqlite/src/index.js';
const [path, count] = [process.argv[2], Number(process.argv[3])];
const MIB = 1024 * 1024;
const block = randomBytes(MIB);
const written = createHash('sha256');
let i = 0;
// One random MiB, each copy stamped with its index: no two chunks alike, never more than one in hand.
const data = new Readable({
  read() {
    if (i === count) return void this.push(null);
    const chunk = Buffer.from(block);
    chunk.writeUInt32BE(i++, 0);
    written.update(chunk);
    this.push(chunk);
  },
});
const store = new SqliteStore({ path });
const artifacts = new LocalArtifactStore();
const registry = new ModelRegistry(store);
const versioning = new ModelVersioning(registry, store, artifacts, (e) => console.error(e));
const semver = await versioning.createModelVersion('big', data, { codeVersion: false });
const mv = await registry.getModelVersion('big', semver);
const read = createHash('sha256');
let size = 0;
for await (const chunk of await versioning.openModelVersion('big', semver)) {
  read.update(chunk);
  size += chunk.length;
}
await store.close();
await artifacts.close();
console.log(JSON.stringify({
  semver, written: written.digest('hex'), read: read.digest('hex'), size,
  tags: { sha256: mv.tags[SHA256_TAG], size: mv.tags[SIZE_TAG] },
  maxRssBytes: process.resourceUsage().maxRSS * 1024,
}));
`;

interface Report {
  semver: string;
  written: string;
  read: string;
  size: number;
  tags: { sha256: string; size: string };
  maxRssBytes: number;
}

describe('ModelVersioning with a 512 MiB model', () => {
  let children: ChildPackages;
  let dir: string;
  beforeAll(() => {
    children = prepareChildPackages();
    dir = mkdtempSync(join(tmpdir(), 'lbk-mv-large-'));
  }, 120_000);
  afterAll(() => {
    children.remove();
    rmSync(dir, { recursive: true, force: true });
    expect(existsSync(dir)).toBe(false);
  });

  it(`streams ${SIZE_MIB} MiB in (createModelVersion) and out (openModelVersion) with the process's peak RSS under 200 MB`, async () => {
    const script = children.script('stream-large.js', STREAMER);
    const { stdout } = await run(process.execPath, [script, join(dir, 'logbook.db'), String(SIZE_MIB)], { cwd: children.dir, maxBuffer: 1024 * 1024 });
    const report = JSON.parse(stdout.trim().split('\n').at(-1)!) as Report;
    console.log(`[large-model] ${SIZE_MIB} MiB in and out: peak RSS ${(report.maxRssBytes / MIB).toFixed(1)} MiB`);
    expect(report.semver).toBe('1.0.0');
    expect(report.size).toBe(SIZE_MIB * MIB);
    expect(report.tags).toEqual({ sha256: report.written, size: String(SIZE_MIB * MIB) });
    expect(report.read).toBe(report.written);
    expect(report.maxRssBytes).toBeGreaterThan(0);
    expect(report.maxRssBytes).toBeLessThan(RSS_LIMIT);
    // The bytes really went to disk under the temp dir (not held anywhere else).
    expect(readdirSync(dir).length).toBeGreaterThan(1);
  }, 300_000);
});
