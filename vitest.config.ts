import { defineConfig } from 'vitest/config';
import type { TestProjectInlineConfiguration } from 'vitest/config';
import { defaultServerConditions } from 'vite';

// Test files say by their name which real services they need; each group is a project whose
// global setup starts those services once per run (and only when a file of that group runs):
//   *.test.ts          no external service (SQLite files, Koa on loopback, child processes)
//   *.mlflow.test.ts   a live MLflow server on PostgreSQL (+ a basic-auth one)
//   *.s3.test.ts       a moto S3-compatible server
//   *.e2e.test.ts      both
const roots = ['packages/*/test', 'examples/*/test', 'test'];
const files = (suffix: string) => roots.map((r) => `${r}/**/*${suffix}`);

const shared = {
  ssr: {
    // Workspace packages resolve to their TS sources through the "@logbook/source" export
    // condition, so tests never run a stale dist/. "module" is dropped: it sends @aws-sdk/* to
    // dist-es files that Node cannot load.
    resolve: {
      conditions: ['@logbook/source', ...defaultServerConditions.filter((c) => c !== 'module')],
    },
  },
  // Legacy decorators + design:* metadata for every .ts file, tests included.
  oxc: { decorator: { legacy: true, emitDecoratorMetadata: true } },
};

function project(name: string, include: string[], globalSetup: string[] = [], exclude: string[] = []): TestProjectInlineConfiguration {
  return {
    extends: true,
    test: { name, include, exclude: ['**/node_modules/**', '**/dist/**', ...exclude], globalSetup },
  };
}

export default defineConfig({
  ...shared,
  test: {
    setupFiles: ['./vitest.setup.ts'],
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    testTimeout: 30_000,
    hookTimeout: 180_000,
    // Global setups stop real servers and drop their databases.
    teardownTimeout: 30_000,
    projects: [
      project('unit', files('.test.ts'), [], [...files('.mlflow.test.ts'), ...files('.s3.test.ts'), ...files('.e2e.test.ts')]),
      project('mlflow', files('.mlflow.test.ts'), ['./test/setup/mlflow.ts']),
      project('s3', files('.s3.test.ts'), ['./test/setup/s3.ts']),
      project('e2e', files('.e2e.test.ts'), ['./test/setup/mlflow.ts', './test/setup/s3.ts']),
    ],
  },
});
