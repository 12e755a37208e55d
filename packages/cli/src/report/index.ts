export { writeReport } from './write-report.js';
export type { WrittenReport } from './write-report.js';
