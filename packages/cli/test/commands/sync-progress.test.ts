import { describe, expect, it } from 'vitest';
import type { SyncProgress } from '@logbook/core';
import { SyncProgressView, humanBytes } from '../../src/commands/sync-progress.js';

const progress = (phase: string, done: number): SyncProgress => ({
  phase,
  entitiesDone: done,
  entitiesTotal: 10,
  pointsDone: done * 1000,
  pointsTotal: 10_000,
  bytesDone: done * 1024,
  bytesTotal: 10 * 1024,
});

function view(tty: boolean): { out: string[]; view: SyncProgressView; tick: (ms: number) => void } {
  const out: string[] = [];
  let now = 0;
  const v = new SyncProgressView({ stdout: () => {}, stderr: (s) => out.push(s), stderrIsTTY: tty }, () => now);
  return { out, view: v, tick: (ms) => (now += ms) };
}

describe('SyncProgressView', () => {
  it('on a terminal redraws one line in place with a bar, counts, rate and ETA, and ends it', () => {
    const { out, view: v, tick } = view(true);
    v.update(progress('runs', 0));
    tick(50);
    v.update(progress('runs', 3)); // within 100 ms: not redrawn
    tick(100);
    v.update(progress('runs', 5));
    v.finish();
    expect(out).toHaveLength(3);
    expect(out[1]).toMatch(/^\r\[#{12}-{12}\] runs +entities 5\/10 +points 5\.0k\/10\.0k +bytes 5\.0 KB\/10\.0 KB +\d.* pts\/s +ETA \d\d:\d\d\u001b\[K$/);
    expect(out[2]).toBe('\n');
  });

  it('elsewhere prints plain lines: at each phase change and every two seconds', () => {
    const { out, view: v, tick } = view(false);
    v.update(progress('experiments', 0));
    v.update(progress('runs', 1));
    tick(500);
    v.update(progress('runs', 2));
    tick(2000);
    v.update(progress('runs', 3));
    v.finish();
    expect(out.map((l) => l.split(/\s+/)[0])).toEqual(['experiments', 'runs', 'runs']);
    for (const line of out) expect(line).toMatch(/\n$/);
    expect(out.join('')).not.toContain('\r');
  });

  it('formats bytes', () => {
    expect([humanBytes(10), humanBytes(2048), humanBytes(3 * 1024 * 1024)]).toEqual(['10 B', '2.0 KB', '3.0 MB']);
  });
});
