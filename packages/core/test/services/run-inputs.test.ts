import { describe, expect, it } from 'vitest';
import { INPUTS_TAG, datasetSource, logDatasetInputs, runDatasetInputs } from '../../src/index.js';
import { servicesOverMemory } from '../support/logbook-fixture.js';

const datasets = [
  { name: 'nights-2026-11', digest: 'a1b2c3d4', source: 's3://survey/nights/2026-11' },
  { name: 'labels 🔭', digest: 'ffee0011', source: 'https://data.example/labels.csv' },
];

describe('dataset inputs', () => {
  it("records a version's datasets as inputs of its run (training context), kept in the logbook.inputs tag by a store without native inputs", async () => {
    const { versioning, registry, backend } = servicesOverMemory();
    const exp = await backend.tracking.createExperiment({ name: 'train' });
    const run = await backend.tracking.createRun({ experimentId: exp });
    await versioning.createModelVersion('det', Buffer.from('w'), { runId: run.info.runId, datasets, codeVersion: false });
    const stored = await backend.tracking.getRun(run.info.runId);
    expect(runDatasetInputs(stored)).toEqual([
      { name: 'nights-2026-11', digest: 'a1b2c3d4', sourceType: 's3', source: '{"uri":"s3://survey/nights/2026-11"}', context: 'training' },
      { name: 'labels 🔭', digest: 'ffee0011', sourceType: 'http', source: '{"url":"https://data.example/labels.csv"}', context: 'training' },
    ]);
    expect(JSON.parse(stored.data.tags[INPUTS_TAG]!)).toHaveLength(2);
    // Logging the same inputs again adds nothing; a new one is appended.
    await logDatasetInputs(backend.tracking, run.info.runId, [{ name: 'nights-2026-11', digest: 'a1b2c3d4', sourceType: 's3', source: '{}', context: 'training' }]);
    await logDatasetInputs(backend.tracking, run.info.runId, [{ name: 'eval', digest: '99', sourceType: 'local', source: '{"uri":"/d"}', context: 'eval' }]);
    expect(runDatasetInputs(await backend.tracking.getRun(run.info.runId)).map((d) => d.name)).toEqual(['nights-2026-11', 'labels 🔭', 'eval']);
    expect((await registry.getModelVersion('det', '1')).runId).toBe(run.info.runId);
  });

  it("refuses a digest past MLflow's 36 characters (counted in code points) before storing anything", async () => {
    const { versioning, backend } = servicesOverMemory();
    await expect(versioning.createModelVersion('det', Buffer.from('w'), { datasets: [{ name: 'n', digest: 'x'.repeat(37), source: 's3://b/k' }], codeVersion: false })).rejects.toMatchObject({
      code: 'INVALID_PARAMETER_VALUE',
      field: 'datasets[0].digest',
      message: expect.stringContaining('at most 36'),
    });
    // 36 astral characters are 72 UTF-16 units and still fit.
    await versioning.createModelVersion('det', Buffer.from('w'), { datasets: [{ name: 'n', digest: '🔭'.repeat(36), source: 's3://b/k' }], codeVersion: false });
    await expect(versioning.createModelVersion('det', Buffer.from('v'), { datasets: [{ name: 'n'.repeat(501), digest: 'd', source: 's3://b/k' }], codeVersion: false })).rejects.toMatchObject({
      code: 'INVALID_PARAMETER_VALUE',
      field: 'datasets[0].name',
    });
    expect(backend.registry.models.get('det')!.versions.size).toBe(1);
  });

  it('maps locations to MLflow source types', () => {
    expect(datasetSource('s3a://b/k')).toEqual({ sourceType: 's3', source: '{"uri":"s3a://b/k"}' });
    expect(datasetSource('gs://b/k').sourceType).toBe('gs');
    expect(datasetSource('/data/nights')).toEqual({ sourceType: 'local', source: '{"uri":"/data/nights"}' });
    expect(datasetSource('file:///data/x').sourceType).toBe('local');
    expect(datasetSource('postgres://db/t').sourceType).toBe('external');
  });
});
