import { describe, expect, it } from 'vitest';
import { LifecycleStage, RunStatus } from '../../src/index.js';
import { compareRuns, matchesRunFilter, parseRunFilter, parseRunOrderBy } from '../../src/spi.js';
import type { Run } from '../../src/index.js';

function run(id: string, opts: { start: number; loss?: number; lr?: string; tags?: Record<string, string>; end?: number; status?: RunStatus }): Run {
  return {
    info: {
      runId: id,
      experimentId: '1',
      runName: `run-${id}`,
      userId: 'ana',
      status: opts.status ?? RunStatus.RUNNING,
      startTime: opts.start,
      ...(opts.end === undefined ? {} : { endTime: opts.end }),
      artifactUri: `file:///a/${id}`,
      lifecycleStage: LifecycleStage.ACTIVE,
    },
    data: {
      metrics: opts.loss === undefined ? [] : [{ key: 'loss', value: opts.loss, timestamp: 1, step: 0 }],
      params: opts.lr === undefined ? {} : { lr: opts.lr },
      tags: opts.tags ?? {},
    },
  };
}

const runs = [
  run('a', { start: 1, loss: 0.1, lr: '0.01', tags: { team: 'Vision' } }),
  run('b', { start: 2, loss: 0.2, lr: '0.1', end: 10, status: RunStatus.FINISHED }),
  run('c', { start: 3, loss: Number.NaN }),
  run('d', { start: 4 }),
];
const select = (filter: string) => runs.filter((r) => matchesRunFilter(r, parseRunFilter(filter))).map((r) => r.info.runId);
const order = (orderBy: string[]) => [...runs].sort(compareRuns(parseRunOrderBy(orderBy))).map((r) => r.info.runId);

describe('matchesRunFilter', () => {
  it('compares the latest metric; a missing metric never matches and NaN matches only !=', () => {
    expect(select('metrics.loss < 0.15')).toEqual(['a']);
    expect(select('metrics.loss != 0.1')).toEqual(['b', 'c']);
    expect(select('metrics.loss >= 0')).toEqual(['a', 'b']);
  });

  it('matches params and tags with =, LIKE (case-sensitive), ILIKE and presence', () => {
    expect(select(`params.lr = '0.1'`)).toEqual(['b']);
    expect(select(`params.lr LIKE '0.0_'`)).toEqual(['a']);
    expect(select(`tags.team LIKE 'vis%'`)).toEqual([]);
    expect(select(`tags.team ILIKE 'vis%'`)).toEqual(['a']);
    expect(select('params.lr IS NULL')).toEqual(['c', 'd']);
    expect(select('tags.team IS NOT NULL')).toEqual(['a']);
    expect(select(`params.lr != '0.1'`)).toEqual(['a']);
  });

  it('matches attributes, run id lists and an end time only when set', () => {
    expect(select(`attributes.status = 'FINISHED'`)).toEqual(['b']);
    expect(select(`run_name = 'run-c'`)).toEqual(['c']);
    expect(select(`attributes.run_id IN ('a', 'd')`)).toEqual(['a', 'd']);
    expect(select(`attributes.run_id NOT IN ('a', 'd')`)).toEqual(['b', 'c']);
    expect(select('attributes.end_time > 0')).toEqual(['b']);
    expect(select('created >= 3')).toEqual(['c', 'd']);
  });

  it('requires every clause', () => {
    expect(select(`metrics.loss > 0 and params.lr = '0.1'`)).toEqual(['b']);
  });
});

describe('compareRuns', () => {
  it('sorts newest first by default', () => {
    expect(order([])).toEqual(['d', 'c', 'b', 'a']);
  });

  it('puts NaN after numbers and missing values last, in both directions', () => {
    expect(order(['metrics.loss ASC'])).toEqual(['a', 'b', 'c', 'd']);
    expect(order(['metrics.loss DESC'])).toEqual(['b', 'a', 'c', 'd']);
  });

  it('breaks ties with start_time DESC', () => {
    expect(order(['params.lr DESC'])).toEqual(['b', 'a', 'd', 'c']);
  });
});
