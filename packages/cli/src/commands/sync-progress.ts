import type { SyncProgress } from '@logbook/core';
import type { CliIo } from '../io.js';

/** Minimum time between two redraws of the progress bar on a terminal. */
const TTY_INTERVAL_MS = 100;
/** Minimum time between two plain progress lines (log files, CI). */
const PLAIN_INTERVAL_MS = 2000;
const BAR_WIDTH = 24;

function human(n: number): string {
  if (n < 1000) return String(n);
  if (n < 1e6) return `${(n / 1e3).toFixed(1)}k`;
  if (n < 1e9) return `${(n / 1e6).toFixed(1)}M`;
  return `${(n / 1e9).toFixed(1)}G`;
}

/** Bytes as `12.3 MB`. */
export function humanBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = n / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}

function clock(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '--:--';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const mm = String(Math.floor((s % 3600) / 60)).padStart(2, '0');
  const ss = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${mm}:${ss}` : `${mm}:${ss}`;
}

/**
 * Shows `syncLogbook`'s progress on standard error: a bar redrawn in place on a terminal, a plain
 * line every two seconds (and at each phase change) otherwise. Entities, points and bytes done of
 * their totals, the point rate, and the time left at that rate.
 */
export class SyncProgressView {
  private readonly started: number;
  private lastDraw = Number.NEGATIVE_INFINITY;
  private lastPhase = '';
  private drawn = false;

  constructor(
    private readonly io: CliIo,
    private readonly now: () => number = Date.now,
  ) {
    this.started = now();
  }

  /** `onProgress` of `syncLogbook`. */
  readonly update = (progress: SyncProgress): void => {
    const now = this.now();
    const tty = this.io.stderrIsTTY === true;
    const phaseChanged = progress.phase !== this.lastPhase;
    if (!phaseChanged && now - this.lastDraw < (tty ? TTY_INTERVAL_MS : PLAIN_INTERVAL_MS)) return;
    this.lastDraw = now;
    this.lastPhase = progress.phase;
    const line = this.line(progress, now);
    if (tty) {
      this.io.stderr(`\r${line}\u001b[K`);
      this.drawn = true;
    } else {
      this.io.stderr(`${line}\n`);
    }
  };

  /** Ends the bar's line on a terminal (call before printing anything else). */
  finish(): void {
    if (this.drawn) this.io.stderr('\n');
    this.drawn = false;
  }

  private line(p: SyncProgress, now: number): string {
    const seconds = Math.max((now - this.started) / 1000, 0.001);
    const rate = p.pointsDone / seconds;
    const byteRate = p.bytesDone / seconds;
    const left = Math.max(p.pointsTotal - p.pointsDone, 0) / (rate || Number.NaN) + Math.max(p.bytesTotal - p.bytesDone, 0) / (byteRate || Infinity);
    const fraction = p.entitiesTotal > 0 ? Math.min(p.entitiesDone / p.entitiesTotal, 1) : p.phase === 'done' ? 1 : 0;
    const filled = Math.round(fraction * BAR_WIDTH);
    const bar = this.io.stderrIsTTY === true ? `[${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}] ` : '';
    return (
      `${bar}${p.phase.padEnd(11)} entities ${p.entitiesDone}/${p.entitiesTotal}  points ${human(p.pointsDone)}/${human(p.pointsTotal)}  ` +
      `bytes ${humanBytes(p.bytesDone)}/${humanBytes(p.bytesTotal)}  ${human(Math.round(rate))} pts/s  ETA ${p.phase === 'done' ? '00:00' : clock(left)}`
    );
  }
}
