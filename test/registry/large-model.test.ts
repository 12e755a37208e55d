// A large model streams into the artifact store and back out without being held in memory:
// the process's RSS stays far below the model's size while every byte is hashed and verified.
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { ModelRegistry, ModelVersioning, SHA256_TAG, SIZE_TAG } from '../../packages/core/src/index.js';
import { LocalArtifactStore, SqliteStore } from '../../packages/sqlite/src/index.js';

const MIB = 1024 * 1024;
const SIZE_MIB = 256;

/** `count` MiB: one random MiB repeated, each copy stamped with its index, hashed as it goes. */
function generated(count: number, hash: ReturnType<typeof createHash>, onChunk: () => void): Readable {
  const block = randomBytes(MIB);
  let i = 0;
  return new Readable({
    read() {
      if (i === count) {
        this.push(null);
        return;
      }
      const chunk = Buffer.from(block);
      chunk.writeUInt32BE(i++, 0);
      hash.update(chunk);
      onChunk();
      this.push(chunk);
    },
  });
}

describe('ModelVersioning with a large model', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lbk-mv-large-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it(`streams ${SIZE_MIB} MiB in and out with RSS growing far less than the model`, async () => {
    const store = new SqliteStore({ path: join(dir, 'logbook.db') });
    const artifacts = new LocalArtifactStore();
    try {
      const registry = new ModelRegistry(store);
      const versioning = new ModelVersioning(registry, store, artifacts, () => undefined);
      global.gc?.();
      const baseline = process.memoryUsage().rss;
      let peak = baseline;
      const sample = (): void => {
        peak = Math.max(peak, process.memoryUsage().rss);
      };
      const written = createHash('sha256');
      await versioning.createModelVersion('big', generated(SIZE_MIB, written, sample), { codeVersion: false });
      const sha256 = written.digest('hex');
      const mv = await registry.getModelVersion('big', '1.0.0');
      expect(mv.tags).toMatchObject({ [SHA256_TAG]: sha256, [SIZE_TAG]: String(SIZE_MIB * MIB) });

      const read = createHash('sha256');
      let size = 0;
      for await (const chunk of await versioning.openModelVersion('big', '1')) {
        read.update(chunk as Buffer);
        size += (chunk as Buffer).length;
        sample();
      }
      expect(size).toBe(SIZE_MIB * MIB);
      expect(read.digest('hex')).toBe(sha256);
      expect(peak - baseline).toBeLessThan(100 * MIB);
    } finally {
      await store.close();
      await artifacts.close();
    }
  });
});
