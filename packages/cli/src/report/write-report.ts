import { writeFile } from 'node:fs/promises';
import type { TrackingStore } from '@logbook/core/spi';
import { collectReport, renderReportHtml } from '@logbook/koa';
import type { ReportData, ReportOptions, ReportSelection } from '@logbook/koa';

/** What {@link writeReport} wrote. */
export interface WrittenReport {
  readonly path: string;
  readonly bytes: number;
  readonly data: ReportData;
}

/** Collects the selected runs from `store` and writes the self-contained HTML report to `path`. */
export async function writeReport(store: TrackingStore, selection: ReportSelection, path: string, options: ReportOptions = {}): Promise<WrittenReport> {
  const data = await collectReport(store, selection, options);
  const html = await renderReportHtml(data);
  await writeFile(path, html, 'utf8');
  return { path, bytes: Buffer.byteLength(html), data };
}
