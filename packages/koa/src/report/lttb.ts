/**
 * Largest-triangle-three-buckets (Steinarsson 2013): picks `threshold` (at least 3) of the points so that the
 * line keeps its visual shape (peaks and dips survive). Display only: stored data is never changed.
 * Returns the indices of the kept points, first and last always included, in increasing order.
 * Non-finite values (NaN) are never chosen as a bucket's point unless the whole bucket is NaN.
 */
export function lttbIndices(xs: ArrayLike<number>, ys: ArrayLike<number>, threshold: number): number[] {
  const n = xs.length;
  // Fewer than 3 kept points cannot keep a shape: 3 is the floor.
  const target = Math.max(3, Math.floor(threshold));
  if (target >= n) return Array.from({ length: n }, (_, i) => i);
  const kept: number[] = [0];
  const every = (n - 2) / (target - 2);
  let a = 0;
  for (let bucket = 0; bucket < target - 2; bucket++) {
    // Average of the next bucket: the third corner of the triangle.
    const nextStart = Math.floor((bucket + 1) * every) + 1;
    const nextEnd = Math.min(Math.floor((bucket + 2) * every) + 1, n);
    let avgX = 0;
    let avgY = 0;
    let count = 0;
    for (let i = nextStart; i < nextEnd; i++) {
      if (!Number.isFinite(ys[i]!)) continue;
      avgX += xs[i]!;
      avgY += ys[i]!;
      count++;
    }
    if (count > 0) {
      avgX /= count;
      avgY /= count;
    } else {
      avgX = xs[Math.min(nextStart, n - 1)]!;
      avgY = ys[a]!;
    }
    const start = Math.floor(bucket * every) + 1;
    const end = Math.floor((bucket + 1) * every) + 1;
    let best = start;
    let bestArea = -1;
    const ax = xs[a]!;
    const ay = Number.isFinite(ys[a]!) ? ys[a]! : avgY;
    for (let i = start; i < end; i++) {
      const y = ys[i]!;
      if (!Number.isFinite(y)) continue;
      const area = Math.abs((ax - avgX) * (y - ay) - (ax - xs[i]!) * (avgY - ay));
      if (area > bestArea) {
        bestArea = area;
        best = i;
      }
    }
    kept.push(best);
    a = best;
  }
  kept.push(n - 1);
  return kept;
}
