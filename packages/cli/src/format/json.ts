/** Items serialized per write by {@link writeJsonArray}. */
const ITEMS_PER_WRITE = 1000;

/**
 * Writes `items` as `JSON.stringify(items, null, 2)` followed by a newline, byte for byte, a
 * thousand items at a time: a long metric history is never one string.
 */
export function writeJsonArray(write: (text: string) => void, items: readonly unknown[]): void {
  if (items.length === 0) {
    write('[]\n');
    return;
  }
  for (let start = 0; start < items.length; start += ITEMS_PER_WRITE) {
    const chunk = items
      .slice(start, start + ITEMS_PER_WRITE)
      .map((item) => `  ${JSON.stringify(item, null, 2).replaceAll('\n', '\n  ')}`)
      .join(',\n');
    const last = start + ITEMS_PER_WRITE >= items.length;
    write(`${start === 0 ? '[\n' : ''}${chunk}${last ? '\n]\n' : ',\n'}`);
  }
}
