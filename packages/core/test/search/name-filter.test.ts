import { describe, expect, it } from 'vitest';
import { MemoryStore } from '../../src/memory/memory-store.js';
import { modelNameFilter } from '../../src/search/name-filter.js';

describe('modelNameFilter', () => {
  it('finds a model by any name, quotes of both kinds and non-BMP characters included', async () => {
    const store = new MemoryStore();
    const names = ['plain', "o'brien", 'say "hi"', `o'brien says "hi" 🔭`, 'o_brien says _hi_ 🔭', 'ends in \\'];
    for (const name of names) {
      await store.createRegisteredModel({ name });
      await store.createModelVersion({ name, source: `s3://bucket/${names.indexOf(name)}` });
    }
    for (const name of names) {
      const page = await store.searchModelVersions({ filter: modelNameFilter(name) });
      // At least the model itself; a LIKE pattern may match a look-alike, which the caller drops.
      expect(page.items.filter((v) => v.name === name).map((v) => v.source)).toEqual([`s3://bucket/${names.indexOf(name)}`]);
    }
    expect(modelNameFilter("o'brien")).toBe(`name = "o'brien"`);
  });
});
