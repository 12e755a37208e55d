import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { expect, it } from 'vitest';
import { locateMlflowBinary } from '../src/index.js';
import { describeLive } from './helpers/live.js';
import { pinnedMlflowVersion, repoRoot } from './helpers/pins.js';

// No Docker engine in CI: check what can be checked without one. The `yaml` npm package is not a
// dependency, so the compose file is parsed by the venv's Python (PyYAML comes with MLflow).
const python = () => join(dirname(locateMlflowBinary(undefined)), 'python');
const parseYaml = (path: string): Record<string, any> =>
  JSON.parse(execFileSync(python(), ['-c', 'import json,sys,yaml; print(json.dumps(yaml.safe_load(open(sys.argv[1]))))', path], { encoding: 'utf8' }));

describeLive('docker/', () => {
  it('compose.yaml parses and wires MLflow to PostgreSQL and R2 from the environment', () => {
    const compose = parseYaml(join(repoRoot, 'docker/compose.yaml'));
    expect(Object.keys(compose.services).sort()).toEqual(['mlflow', 'postgres']);
    const mlflow = compose.services.mlflow;
    expect(mlflow.build).toEqual({ context: '..', dockerfile: 'docker/mlflow/Dockerfile' });
    expect(mlflow.depends_on.postgres.condition).toBe('service_healthy');
    expect(mlflow.environment.MLFLOW_BACKEND_STORE_URI).toMatch(/^postgresql\+psycopg2:\/\/.*@postgres:5432\//);
    expect(mlflow.environment.MLFLOW_ARTIFACTS_DESTINATION).toMatch(/^s3:\/\/\$\{R2_BUCKET/);
    for (const key of ['MLFLOW_S3_ENDPOINT_URL', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY']) {
      expect(mlflow.environment[key], key).toMatch(/^\$\{R2_/);
    }
    // No secret is written into the file itself.
    expect(JSON.stringify(compose)).not.toMatch(/PASSWORD:-|SECRET_ACCESS_KEY:-/);
  });

  it('the Dockerfile installs the MLflow the tests run, from scripts/python-requirements.txt', () => {
    const dockerfile = readFileSync(join(repoRoot, 'docker/mlflow/Dockerfile'), 'utf8');
    expect(dockerfile).toMatch(/^COPY scripts\/python-requirements\.txt /m);
    expect(dockerfile).toMatch(/pip install .*-r \/tmp\/server-requirements\.txt/);
    expect(dockerfile).not.toMatch(/mlflow(\[[^\]]*\])?==/); // never retyped
    // The grep the image runs keeps the mlflow pin the tests use.
    const requirements = readFileSync(join(repoRoot, 'scripts/python-requirements.txt'), 'utf8');
    const pattern = /grep -E '([^']+)'/.exec(dockerfile)![1]!;
    const kept = requirements.split('\n').filter((line) => new RegExp(pattern).test(line));
    expect(kept).toContain(`mlflow[auth]==${pinnedMlflowVersion()}`);
    expect(kept.some((l) => l.startsWith('moto'))).toBe(false);
    expect(execFileSync(locateMlflowBinary(undefined), ['--version'], { encoding: 'utf8' })).toContain(pinnedMlflowVersion());
  });
});
