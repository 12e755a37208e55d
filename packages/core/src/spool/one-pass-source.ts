import type { SyncRunRef, SyncSource } from '../sync/types.js';

/**
 * A view of `source` for one drain in which each run comes out of the change feed once. A run the
 * training process keeps writing moves ahead of the engine's page cursor with every write, so the
 * engine would meet it again and again while it is being logged; one pass is enough, since the
 * engine reads a run's points up to the moment it sends them and later points have a higher seq
 * than the cursor this drain commits (the next drain sends them).
 */
export function onePassSource(source: SyncSource): SyncSource {
  const seen = new Set<string>();
  const changedRuns = async (targetId: string, sinceSeq: number, after: number, limit: number): Promise<readonly SyncRunRef[]> => {
    const page = await source.changedRuns(targetId, sinceSeq, after, limit);
    const fresh = page.filter((ref) => !seen.has(ref.runId));
    for (const ref of fresh) seen.add(ref.runId);
    return fresh;
  };
  return new Proxy(source, {
    get(target, property) {
      if (property === 'changedRuns') return changedRuns;
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}
