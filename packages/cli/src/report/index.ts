export { collectReport } from './collect-report.js';
export { lttbIndices } from './lttb.js';
export { renderReportHtml } from './render-html.js';
export { writeReport } from './write-report.js';
export type { WrittenReport } from './write-report.js';
export type { ReportChart, ReportData, ReportOptions, ReportRun, ReportSelection, ReportSeries } from './types.js';
