import { exceedsCodePoints, truncateCodePoints } from '@logbook/core/spi';

// Apart from values.ts because it loads @logbook/core: command files import values.ts when the
// program is built (--version too); this file is loaded by the renderers that need it, on demand.

/** `undefined` as `-`, long values cut to `max` characters (code points: never inside an emoji) with an ellipsis. */
export function formatText(value: string | undefined, max = 60): string {
  if (value === undefined) return '-';
  return exceedsCodePoints(value, max) ? `${truncateCodePoints(value, max - 1)}…` : value;
}
