import type { TrackingStore } from '@logbook/core/spi';
import { lttbIndices } from './lttb.js';
import type { ReportSeries } from './types.js';

/** Reads one history page by page into typed arrays, then keeps `limit` points (LTTB over step). */
export async function readSeries(store: TrackingStore, runId: string, key: string, limit: number, pageSize: number): Promise<ReportSeries> {
  let steps = new Float64Array(1024);
  let times = new Float64Array(1024);
  let values = new Float64Array(1024);
  let n = 0;
  let pageToken: string | undefined;
  do {
    const page = await store.getMetricHistory(runId, key, { maxResults: pageSize, ...(pageToken === undefined ? {} : { pageToken }) });
    if (n + page.items.length > steps.length) {
      const size = Math.max(steps.length * 2, n + page.items.length);
      steps = grow(steps, size);
      times = grow(times, size);
      values = grow(values, size);
    }
    for (const m of page.items) {
      steps[n] = m.step;
      times[n] = m.timestamp;
      values[n] = m.value;
      n++;
    }
    pageToken = page.nextPageToken;
  } while (pageToken !== undefined);
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => steps[a]! - steps[b]! || times[a]! - times[b]!);
  const xs = order.map((i) => steps[i]!);
  const ys = order.map((i) => values[i]!);
  const kept = lttbIndices(xs, ys, limit);
  return {
    runId,
    steps: kept.map((k) => xs[k]!),
    timestamps: kept.map((k) => times[order[k]!]!),
    // 7 significant digits: enough for a chart and its hover values, and a third of the bytes.
    values: kept.map((k) => (Number.isFinite(ys[k]!) ? Number(ys[k]!.toPrecision(7)) : null)),
    storedPoints: n,
  };
}

function grow(array: Float64Array<ArrayBuffer>, size: number): Float64Array<ArrayBuffer> {
  const bigger = new Float64Array(size);
  bigger.set(array);
  return bigger;
}
