import { describe, inject } from 'vitest';
// Registers the MLflow backend for http:// tracking URIs.
import '@logbook/mlflow';
import { routeSuite } from './route-suite.js';
import { startRouteHost } from './route-host.js';

const mlflow = inject('mlflow');

describe.skipIf(mlflow === null)('Logbook routes over a live MLflow server', () => {
  routeSuite(() => startRouteHost({ trackingUri: mlflow!.uri, http: { maxRetries: 1, deadlineMs: 20_000 } }));
});
