import { describe, expect, it } from 'vitest';
import { LifecycleStage, ModelStage, ModelVersionStatus } from '../../src/index.js';
import {
  compareExperiments,
  compareModelVersions,
  compareRegisteredModels,
  matchesExperimentFilter,
  matchesModelVersionFilter,
  matchesRegisteredModelFilter,
  parseExperimentFilter,
  parseExperimentOrderBy,
  parseModelVersionFilter,
  parseModelVersionOrderBy,
  parseRegisteredModelFilter,
  parseRegisteredModelOrderBy,
} from '../../src/spi.js';
import type { Experiment, ModelVersion, RegisteredModel } from '../../src/index.js';

const experiment = (id: string, name: string, created: number, tags: Record<string, string> = {}): Experiment => ({
  experimentId: id,
  name,
  artifactLocation: `file:///a/${id}`,
  lifecycleStage: LifecycleStage.ACTIVE,
  creationTime: created,
  lastUpdateTime: created,
  tags,
});
const experiments = [experiment('2', 'vision/a', 10, { team: 'x' }), experiment('10', 'vision/b', 10), experiment('3', 'audio', 5)];

describe('matchesExperimentFilter / compareExperiments', () => {
  const ids = (filter: string) => experiments.filter((e) => matchesExperimentFilter(e, parseExperimentFilter(filter))).map((e) => e.experimentId);
  const order = (orderBy: string[]) => [...experiments].sort(compareExperiments(parseExperimentOrderBy(orderBy))).map((e) => e.experimentId);

  it('filters on name, ids, times and tags', () => {
    expect(ids(`name LIKE 'vision/%'`)).toEqual(['2', '10']);
    expect(ids(`experiment_id IN ('3', '10')`)).toEqual(['10', '3']);
    expect(ids('creation_time < 10')).toEqual(['3']);
    expect(ids('tags.team IS NULL')).toEqual(['10', '3']);
    expect(ids(`tags.team = 'x'`)).toEqual(['2']);
  });

  it('sorts by default newest first, ties by experiment id as an integer', () => {
    expect(order([])).toEqual(['2', '10', '3']);
    expect(order(['name DESC'])).toEqual(['10', '2', '3']);
  });
});

const model = (name: string, updated: number, tags: Record<string, string> = {}): RegisteredModel => ({
  name,
  creationTimestamp: 1,
  lastUpdatedTimestamp: updated,
  latestVersions: [],
  tags,
  aliases: {},
});

describe('matchesRegisteredModelFilter / compareRegisteredModels', () => {
  const models = [model('unet', 5, { team: 'x' }), model('bert', 9), model('unet-small', 1)];
  it('filters on name and tags and sorts by name unless told otherwise', () => {
    const names = (filter: string) => models.filter((m) => matchesRegisteredModelFilter(m, parseRegisteredModelFilter(filter))).map((m) => m.name);
    expect(names(`name LIKE 'unet%'`)).toEqual(['unet', 'unet-small']);
    expect(names(`tags.team = 'x'`)).toEqual(['unet']);
    expect([...models].sort(compareRegisteredModels(parseRegisteredModelOrderBy())).map((m) => m.name)).toEqual(['bert', 'unet', 'unet-small']);
    expect([...models].sort(compareRegisteredModels(parseRegisteredModelOrderBy(['timestamp DESC']))).map((m) => m.name)).toEqual(['bert', 'unet', 'unet-small']);
  });
});

const version = (name: string, v: string, updated: number, runId?: string): ModelVersion => ({
  name,
  version: v,
  creationTimestamp: updated,
  lastUpdatedTimestamp: updated,
  currentStage: ModelStage.None,
  source: `s3://b/${name}/${v}`,
  ...(runId === undefined ? {} : { runId }),
  status: ModelVersionStatus.READY,
  tags: {},
  aliases: [],
});

describe('matchesModelVersionFilter / compareModelVersions', () => {
  const versions = [version('m', '2', 5, 'r1'), version('m', '10', 5), version('n', '1', 9, 'r1')];
  it('filters on run id, version number and source, and sorts versions as integers', () => {
    const keys = (filter: string) => versions.filter((v) => matchesModelVersionFilter(v, parseModelVersionFilter(filter))).map((v) => `${v.name}/${v.version}`);
    expect(keys(`run_id = 'r1'`)).toEqual(['m/2', 'n/1']);
    expect(keys(`name = 'm' and version_number > 2`)).toEqual(['m/10']);
    expect(keys(`source_path LIKE 's3://b/n/%'`)).toEqual(['n/1']);
    const sorted = (orderBy?: string[]) => [...versions].sort(compareModelVersions(parseModelVersionOrderBy(orderBy))).map((v) => `${v.name}/${v.version}`);
    expect(sorted()).toEqual(['n/1', 'm/10', 'm/2']);
    expect(sorted(['version_number ASC'])).toEqual(['n/1', 'm/2', 'm/10']);
  });
});
