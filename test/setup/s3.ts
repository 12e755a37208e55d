// Global setup of the 's3' and 'e2e' test projects: starts moto's S3-compatible server once per
// run on a free loopback port, provides its endpoint to tests (`inject('s3Endpoint')`) and stops it
// at teardown. Without the virtualenv: CI fails with the fix; locally, LOGBOOK_SKIP_S3=1 skips the
// S3 tests (they see an empty endpoint), anything else fails with the same message.
import { existsSync } from 'node:fs';
import type { TestProject } from 'vitest/node';
import { motoBinary, startMotoServer } from './moto-server.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** moto's endpoint, `http://127.0.0.1:<port>`; `''` when S3 tests are skipped. */
    s3Endpoint: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const ci = process.env['CI'] === 'true' || process.env['CI'] === '1';
  const skip = !ci && process.env['LOGBOOK_SKIP_S3'] === '1';
  if (skip) {
    project.provide('s3Endpoint', '');
    return async () => undefined;
  }
  if (!existsSync(motoBinary)) {
    throw new Error(
      '[s3] moto is not installed (.cache/venv/bin/moto_server is missing): run `bash scripts/setup-python.sh`' + (ci ? '.' : ', or set LOGBOOK_SKIP_S3=1 to skip the S3 tests locally.'),
    );
  }
  const server = await startMotoServer();
  project.provide('s3Endpoint', server.endpoint);
  return () => server.stop();
}
