/** Milliseconds since the epoch as `YYYY-MM-DD HH:MM:SS` UTC; `-` when absent. */
export function formatTime(ms: number | undefined): string {
  if (ms === undefined) return '-';
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}

/** A duration in milliseconds as `1.2s`, `3m04s` or `2h05m`; `-` when unknown. */
export function formatDuration(start: number | undefined, end: number | undefined): string {
  if (start === undefined || end === undefined) return '-';
  const s = Math.max(0, (end - start) / 1000);
  if (s < 60) return `${s.toFixed(1)}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(Math.floor(s % 60)).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/** A metric value with up to 6 significant digits (`NaN` kept); `-` when absent. */
export function formatNumber(value: number | undefined): string {
  if (value === undefined) return '-';
  if (!Number.isFinite(value)) return String(value);
  return String(Number(value.toPrecision(6)));
}
