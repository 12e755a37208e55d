// The decorators need the metadata polyfill before any decorated class is evaluated.
import 'reflect-metadata';
// createLogbook() finds @logbook/sqlite by itself when it is resolvable from the current folder
// (the user's project). This import also makes `node examples/unet-training/dist/main.js` work
// from the repository root, where the example's own dependencies are not resolvable.
import '@logbook/sqlite';
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
