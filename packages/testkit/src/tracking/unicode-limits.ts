import { describe, expect, it } from 'vitest';
import type { TrackingStore } from '@logbook/core/spi';
import { expectCode, uniqueName } from '../support.js';

const T0 = 1_700_000_000_000;
/** U+1F600 and U+1D538 (a letter, so valid in keys): one character to MLflow, two UTF-16 units. */
const SMILE = '😀';
const A = '𝔸';
/** Half of an emoji, as cutting a string with `slice` leaves it. */
const HALF = `x${SMILE}`.slice(0, 2);
/** `base` padded with emoji to exactly `length` characters (code points). */
const padTo = (base: string, length: number) => base + SMILE.repeat(length - [...base].length);

/**
 * MLflow's limits count characters (code points): values outside the BMP at, under and over each
 * limit, and values holding a lone surrogate, which MLflow 3.17 would store as `''` while silently
 * dropping the rest of the log-batch. Stores run with their default long-value policy (truncate).
 */
export function unicodeLimitTests(store: () => TrackingStore): void {
  const newExperiment = () => store().createExperiment({ name: uniqueName('unicode') });
  const newRun = async () => (await store().createRun({ experimentId: await newExperiment(), startTime: T0 })).info.runId;

  describe('limits in characters (code points)', () => {
    it('stores params of 6000 and tags of 8000 non-BMP characters and keys of 250 exactly, with the entries after them', async () => {
      const runId = await newRun();
      const params = [
        { key: 'p_edge', value: SMILE.repeat(6000) },
        { key: 'p_mixed', value: `a${A.repeat(5999)}` },
        { key: A.repeat(250), value: 'long key' },
        { key: 'p_after', value: 'x' },
      ];
      const tags = [
        { key: 't_edge', value: SMILE.repeat(8000) },
        { key: `t_${A.repeat(248)}`, value: 'v' },
        { key: 't_after', value: 'z' },
      ];
      await store().logBatch(runId, { params, tags });
      const { data } = await store().getRun(runId);
      expect(data.params).toEqual(Object.fromEntries(params.map((p) => [p.key, p.value])));
      expect(data.tags).toMatchObject(Object.fromEntries(tags.map((t) => [t.key, t.value])));
    });

    it('truncates param values past 6000 and tag values past 8000 characters by code point, never inside a pair', async () => {
      const runId = await newRun();
      await store().logBatch(runId, {
        params: [
          { key: 'p_over', value: SMILE.repeat(6001) },
          { key: 'p_cut', value: `a${SMILE.repeat(6000)}` },
          { key: 'p_after', value: 'x' },
        ],
        tags: [
          { key: 't_over', value: `a${A.repeat(8000)}` },
          { key: 't_after', value: 'z' },
        ],
      });
      const { data } = await store().getRun(runId);
      expect(data.params).toEqual({ p_over: SMILE.repeat(6000), p_cut: `a${SMILE.repeat(5999)}`, p_after: 'x' });
      expect(data.tags).toMatchObject({ t_over: `a${A.repeat(7999)}`, t_after: 'z' });
    });

    it('rejects a param or tag key of 251 non-BMP characters with INVALID_PARAMETER_VALUE', async () => {
      const runId = await newRun();
      await expectCode(store().logBatch(runId, { params: [{ key: A.repeat(251), value: 'v' }] }), 'INVALID_PARAMETER_VALUE');
      await expectCode(store().logBatch(runId, { tags: [{ key: A.repeat(251), value: 'v' }] }), 'INVALID_PARAMETER_VALUE');
      expect((await store().getRun(runId)).data.params).toEqual({});
    });

    it('counts setTag and createRun tags in characters too', async () => {
      const experimentId = await newExperiment();
      const run = await store().createRun({ experimentId, startTime: T0, tags: { start_edge: SMILE.repeat(8000) } });
      await store().setTag(run.info.runId, 'set_edge', `a${A.repeat(7999)}`);
      await store().setTag(run.info.runId, 'set_over', SMILE.repeat(8001));
      expect((await store().getRun(run.info.runId)).data.tags).toMatchObject({
        start_edge: SMILE.repeat(8000),
        set_edge: `a${A.repeat(7999)}`,
        set_over: SMILE.repeat(8000),
      });
    });

    it('accepts run names of 250 non-BMP characters and refuses 251; counts experiment names in characters', async () => {
      const experimentId = await newExperiment();
      const run = await store().createRun({ experimentId, startTime: T0, runName: SMILE.repeat(250) });
      expect((await store().getRun(run.info.runId)).info.runName).toBe(SMILE.repeat(250));
      await expect(store().createRun({ experimentId, startTime: T0, runName: SMILE.repeat(251) })).rejects.toThrow();
      // MLflow validates names up to 500 characters, but its SQL schema holds 256 (varchar(256) on
      // PostgreSQL: 257..500 fail in the database); 256 non-BMP characters are 512 UTF-16 units.
      const name = padTo(uniqueName('unicode-name'), 256);
      const id = await store().createExperiment({ name });
      expect((await store().getExperiment(id)).name).toBe(name);
      await expectCode(store().createExperiment({ name: padTo(uniqueName('unicode-name'), 501) }), 'INVALID_PARAMETER_VALUE');
    });

    it('stores experiment tag values of 20,000 non-BMP characters and rejects 20,001 (never truncated)', async () => {
      const id = await newExperiment();
      await store().setExperimentTag(id, 'edge', SMILE.repeat(20_000));
      expect((await store().getExperiment(id)).tags['edge']).toBe(SMILE.repeat(20_000));
      await expectCode(store().setExperimentTag(id, 'over', SMILE.repeat(20_001)), 'INVALID_PARAMETER_VALUE');
    });
  });

  describe('lone surrogates', () => {
    it('rejects a log-batch with a lone surrogate in a value with INVALID_PARAMETER_VALUE, writing none of it', async () => {
      const runId = await newRun();
      await expectCode(
        store().logBatch(runId, {
          params: [
            { key: 'before', value: '1' },
            { key: 'broken', value: HALF },
            { key: 'after', value: '2' },
          ],
          tags: [{ key: 'tag_after', value: '3' }],
        }),
        'INVALID_PARAMETER_VALUE',
      );
      await expectCode(store().logBatch(runId, { tags: [{ key: 'broken', value: `${SMILE}\ude00` }] }), 'INVALID_PARAMETER_VALUE');
      const { data } = await store().getRun(runId);
      expect(data.params).toEqual({});
      expect(data.tags).not.toHaveProperty('tag_after');
      await store().logBatch(runId, { params: [{ key: 'later', value: SMILE }] });
      expect((await store().getRun(runId)).data.params).toEqual({ later: SMILE });
    });

    it('rejects a lone surrogate in setTag, createRun tags and experiment tags', async () => {
      const experimentId = await newExperiment();
      const runId = (await store().createRun({ experimentId, startTime: T0 })).info.runId;
      await expectCode(store().setTag(runId, 'broken', HALF), 'INVALID_PARAMETER_VALUE');
      await expectCode(store().createRun({ experimentId, startTime: T0, tags: { broken: HALF } }), 'INVALID_PARAMETER_VALUE');
      await expectCode(store().setExperimentTag(experimentId, 'broken', HALF), 'INVALID_PARAMETER_VALUE');
      expect((await store().getRun(runId)).data.tags).not.toHaveProperty('broken');
    });
  });
}
