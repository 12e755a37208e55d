// A model version's datasets become MLflow run inputs of its run: sent with `runs/log-inputs` on
// the MLflow backend (through the spool wrapper createLogbook puts in front of it), kept in the
// `logbook.inputs` tag on SQLite and turned into run inputs by `logbook sync`; read back by
// MLflow's own Python client.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { INPUTS_TAG, ModelRegistry, ModelVersioning, createLogbook, runDatasetInputs, syncLogbook } from '../../packages/core/src/index.js';
import type { Logbook } from '../../packages/core/src/index.js';
import type { SyncTarget } from '../../packages/core/src/spi.js';
import { uniqueName } from '../../packages/testkit/src/index.js';
import { LocalArtifactStore, SqliteStore, openSyncSource } from '../../packages/sqlite/src/index.js';

const python = fileURLToPath(new URL('../../.cache/venv/bin/python', import.meta.url));
const READ_INPUTS = String.raw`
import json, sys
from mlflow import MlflowClient
c = MlflowClient(sys.argv[1])
out = {}
for run_id in json.loads(sys.argv[2]):
    run = c.get_run(run_id)
    out[run_id] = [
        {'name': i.dataset.name, 'digest': i.dataset.digest, 'source_type': i.dataset.source_type, 'source': i.dataset.source,
         'tags': {t.key: t.value for t in i.tags}}
        for i in run.inputs.dataset_inputs
    ]
print(json.dumps(out))
`;

async function inputsByPython(uri: string, runIds: readonly string[]): Promise<Record<string, unknown[]>> {
  const { stdout } = await promisify(execFile)(python, ['-c', READ_INPUTS, uri, JSON.stringify(runIds)], {
    timeout: 120_000,
    env: { ...process.env, MLFLOW_DISABLE_TELEMETRY: 'true', PYTHONWARNINGS: 'ignore' },
  });
  return JSON.parse(stdout) as Record<string, unknown[]>;
}

const datasets = [
  { name: 'nights-2026-11', digest: 'a1b2c3d4', source: 's3://survey/nights/2026-11' },
  { name: 'labels 🔭', digest: 'ffee0011', source: 'https://data.example/labels.csv' },
];
const expected = [
  { name: 'nights-2026-11', digest: 'a1b2c3d4', source_type: 's3', source: '{"uri":"s3://survey/nights/2026-11"}', tags: { 'mlflow.data.context': 'training' } },
  { name: 'labels 🔭', digest: 'ffee0011', source_type: 'http', source: '{"url":"https://data.example/labels.csv"}', tags: { 'mlflow.data.context': 'training' } },
];
const sortByName = <T extends { name: string }>(list: readonly T[]): T[] => [...list].sort((a, b) => a.name.localeCompare(b.name));

const uri = (): string => inject('mlflow')!.uri;

describe.skipIf(inject('mlflow') === null)('dataset inputs of model versions on MLflow', () => {
  const dir = mkdtempSync(join(tmpdir(), 'logbook-inputs-'));
  let lb: Logbook;
  beforeAll(async () => {
    lb = await createLogbook({ trackingUri: uri(), logging: { drainOnExit: false } }, { env: {}, cwd: dir });
  });
  afterAll(async () => {
    await lb?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("sends the datasets with runs/log-inputs: MLflow's Python client and MlflowStore.getRun read them back", async () => {
    const tracking = lb.stores.tracking;
    const exp = await tracking.createExperiment({ name: uniqueName('inputs') });
    const run = await tracking.createRun({ experimentId: exp });
    const model = uniqueName('inputs-model');
    await lb.versioning.createModelVersion(model, Buffer.from('weights'), { runId: run.info.runId, datasets, codeVersion: false });
    const byPython = await inputsByPython(uri(), [run.info.runId]);
    expect(sortByName(byPython[run.info.runId] as typeof expected)).toEqual(sortByName(expected));
    const read = await tracking.getRun(run.info.runId);
    expect(read.data.tags[INPUTS_TAG]).toBeUndefined();
    expect(sortByName(runDatasetInputs(read))).toEqual(sortByName(expected.map((e) => ({ name: e.name, digest: e.digest, sourceType: e.source_type, source: e.source, context: 'training' }))));
    // A second version from the same run with the same datasets adds no input twice.
    await lb.versioning.createModelVersion(model, Buffer.from('weights 2'), { runId: run.info.runId, datasets, codeVersion: false });
    expect((await inputsByPython(uri(), [run.info.runId]))[run.info.runId]).toHaveLength(2);
  }, 120_000);

  it('carries the SQLite logbook.inputs tag through sync into MLflow run inputs of the synced run', async () => {
    const path = join(dir, 'station.db');
    const store = new SqliteStore({ path, artifactRoot: join(dir, 'station-artifacts') });
    const artifacts = new LocalArtifactStore();
    const model = uniqueName('synced-inputs');
    try {
      const versioning = new ModelVersioning(new ModelRegistry(store), store, artifacts, () => undefined);
      await versioning.createModelVersion(model, Buffer.from('station weights'), { datasets, codeVersion: false });
      const localRun = (await store.getModelVersion(model, '1')).runId!;
      expect(JSON.parse((await store.getRun(localRun)).data.tags[INPUTS_TAG]!)).toHaveLength(2);
      const source = await openSyncSource(path);
      try {
        const target: SyncTarget = { id: uri(), tracking: lb.stores.tracking, registry: lb.stores.registry, artifacts: lb.stores.artifacts };
        const report = await syncLogbook(source, target);
        expect(report.failures).toEqual([]);
        const remoteRun = (await lb.stores.registry.getModelVersion(model, '1')).runId!;
        expect(remoteRun).not.toBe(localRun);
        const byPython = await inputsByPython(uri(), [remoteRun]);
        expect(sortByName(byPython[remoteRun] as typeof expected)).toEqual(sortByName(expected));
        // Synced again: nothing new, no input twice.
        expect((await syncLogbook(source, target)).failures).toEqual([]);
        expect((await inputsByPython(uri(), [remoteRun]))[remoteRun]).toHaveLength(2);
      } finally {
        await source.close();
      }
    } finally {
      await store.close();
      await artifacts.close();
    }
  }, 300_000);
});
