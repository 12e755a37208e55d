import { resolve } from 'node:path';
import { configProject } from '../../../testkit/src/index.js';
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/index.js';
import { registeredConfigSections } from '../../src/spi.js';

// The real packages of the workspace; only how they are found is replaced (core does not depend on them).
const SOURCES: Readonly<Record<string, string>> = {
  '@logbook/mlflow': resolve(import.meta.dirname, '../../../mlflow/src/index.ts'),
  '@logbook/s3': resolve(import.meta.dirname, '../../../s3/src/index.ts'),
  '@logbook/sqlite': resolve(import.meta.dirname, '../../../sqlite/src/index.ts'),
};

describe('resolveConfig (the two-phase load of createLogbook)', () => {
  it('names the key and the package when a package the config needs cannot be imported', async () => {
    const imported: string[] = [];
    const dir = configProject({ trackingUri: './runs.db', s3: { bucket: 'runs' } });
    const missing = async (pkg: string) => {
      imported.push(pkg);
      throw new Error(`Cannot find package '${pkg}'`);
    };
    await expect(resolveConfig({}, {}, dir, missing)).rejects.toMatchObject({
      code: 'INVALID_CONFIGURATION',
      field: 's3',
      message: expect.stringMatching(/s3 \(from .*logbook\.config\.json\) is a setting of @logbook\/s3, which is not loaded: install it \(pnpm add @logbook\/s3\)/),
    });
    expect(imported.sort()).toEqual(['@logbook/s3', '@logbook/sqlite']);
  });

  it('imports the packages whose settings the layers name, then loads every section with one precedence', async () => {
    expect(registeredConfigSections().map((s) => s.name)).not.toContain('http');
    const imported: string[] = [];
    const dir = configProject({ trackingUri: './runs.db', http: { maxRetries: 1 }, profiles: { production: { s3: { bucket: 'runs' } } } });
    const load = async (pkg: string) => {
      imported.push(pkg);
      return import(SOURCES[pkg]!);
    };
    const config = (await resolveConfig({}, { LOGBOOK_ENV: 'production', MLFLOW_HTTP_REQUEST_MAX_RETRIES: '2', AWS_REGION: 'eu-west-1' }, dir, load)) as unknown as Record<string, unknown>;
    expect(imported.sort()).toEqual(['@logbook/mlflow', '@logbook/s3', '@logbook/sqlite']);
    expect(config['http']).toMatchObject({ maxRetries: 2, deadlineMs: 300_000 });
    expect(config['s3']).toEqual({ bucket: 'runs', region: 'eu-west-1' });
  });
});
