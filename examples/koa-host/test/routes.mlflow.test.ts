import { describe, inject } from 'vitest';
// Registers the MLflow backend for http:// tracking URIs.
import '@logbook/mlflow';
import { routeSuite } from './route-suite.js';
import { startHost } from './support.js';

const mlflow = inject('mlflow');

describe.skipIf(mlflow === null)('example host over a live MLflow server', () => {
  routeSuite(() => startHost({ config: { trackingUri: mlflow!.uri, http: { maxRetries: 1, deadlineMs: 20_000 } } }));
});
