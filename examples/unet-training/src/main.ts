// The decorators need the metadata polyfill before any decorated class is evaluated.
import 'reflect-metadata';
// No backend import: createLogbook() finds @logbook/sqlite by itself, resolved from the current
// folder or from this program's own folder.
import { getDefaultLogbook } from '@logbook/core';
import { formatSummary } from './summary.js';
import { LearningRateSweep } from './training/sweep.js';

// No config: the embedded default, ./logbook.db in the current folder. Set LOGBOOK_TRACKING_URI
// or a logbook.config.json to log elsewhere (an MLflow server, another file).
const started = performance.now();
const logbook = await getDefaultLogbook();
try {
  const result = await new LearningRateSweep().run();
  console.log(formatSummary(result, logbook.config.trackingUri, performance.now() - started));
} finally {
  await logbook.close();
}
