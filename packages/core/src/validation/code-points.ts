// MLflow counts lengths in characters (Python `len`, PostgreSQL `varchar(n)`: code points), while a
// JavaScript string's `length` counts UTF-16 code units: an emoji or a CJK ext-B ideograph is one
// character to MLflow and two units here. Every limit in Logbook is counted and cut with these
// helpers, never with `length` and `slice`.

const isHigh = (unit: number) => unit >= 0xd800 && unit <= 0xdbff;
const isLow = (unit: number) => unit >= 0xdc00 && unit <= 0xdfff;

/** A surrogate code unit without its partner: `\p{Cs}` only matches those in a `u` regex. */
const LONE_SURROGATE = /\p{Cs}/u;

/**
 * The number of code points in `text` (a lone surrogate counts as one), as Python's `len`.
 * Allocates nothing: long values are counted in place.
 */
export function codePointLength(text: string): number {
  let count = text.length;
  for (let i = 0; i < text.length - 1; i++) {
    if (isHigh(text.charCodeAt(i)) && isLow(text.charCodeAt(i + 1))) {
      count--;
      i++;
    }
  }
  return count;
}

/**
 * Whether `text` has more than `limit` code points. Decides from `length` alone when it can
 * (at most `limit` units, or more than twice `limit`), so checking short values costs nothing.
 */
export function exceedsCodePoints(text: string, limit: number): boolean {
  if (text.length <= limit) return false;
  if (text.length > 2 * limit) return true;
  return codePointLength(text) > limit;
}

/**
 * The first `limit` code points of `text`. Never cuts between the two halves of a surrogate pair,
 * so a well-formed value stays well-formed (MLflow's truncation, counted as MLflow counts).
 */
export function truncateCodePoints(text: string, limit: number): string {
  if (text.length <= limit) return text;
  let units = 0;
  for (let points = 0; points < limit && units < text.length; points++) {
    units += isHigh(text.charCodeAt(units)) && isLow(text.charCodeAt(units + 1)) ? 2 : 1;
  }
  return units >= text.length ? text : text.slice(0, units);
}

/**
 * Whether `text` holds a surrogate without its partner: not valid Unicode, so it cannot be stored
 * as given (UTF-8 has no encoding for it; SQLite keeps invalid bytes that read back as three U+FFFD,
 * MLflow's server drops the value). Values with one are rejected, never repaired.
 */
export function hasLoneSurrogate(text: string): boolean {
  return LONE_SURROGATE.test(text);
}

/**
 * `text` with each lone surrogate replaced by U+FFFD, as `String.prototype.toWellFormed` does. Only
 * for text Logbook writes itself (an error message kept as a tag), never for a user's value.
 */
export function replaceLoneSurrogates(text: string): string {
  return hasLoneSurrogate(text) ? text.replace(/\p{Cs}/gu, '\uFFFD') : text;
}
