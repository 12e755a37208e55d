import { defineConfig } from 'vitest/config';
import { defaultServerConditions } from 'vite';

export default defineConfig({
  // Workspace packages resolve to their TS sources through the "@logbook/source" export condition,
  // so tests never run a stale dist/. "module" is dropped: it sends @aws-sdk/* to dist-es files
  // that Node cannot load.
  ssr: {
    resolve: {
      conditions: ['@logbook/source', ...defaultServerConditions.filter((c) => c !== 'module')],
    },
  },
  // Legacy decorators + design:* metadata for every .ts file, tests included.
  oxc: { decorator: { legacy: true, emitDecoratorMetadata: true } },
  test: {
    include: ['packages/*/test/**/*.test.ts', 'examples/*/test/**/*.test.ts', 'test/**/*.test.ts'],
    setupFiles: ['./vitest.setup.ts'],
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    testTimeout: 30_000,
    hookTimeout: 120_000,
  },
});
