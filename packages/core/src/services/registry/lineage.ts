import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { LogbookError } from '../../errors.js';
import type { Tags } from '../../model/common.js';
import type { DatasetInput } from '../../model/dataset-input.js';
import { datasetSource } from '../run-inputs.js';
import { DATASETS_TAG, GIT_COMMIT_TAG, GIT_DIRTY_TAG } from './tags.js';

const run = promisify(execFile);

/** An input dataset of a model version (MLflow's dataset input: name, digest, source). */
export interface DatasetRef {
  readonly name: string;
  readonly digest: string;
  /** Where it came from, e.g. `s3://survey/nights/2026-11`. */
  readonly source: string;
}

/** The code a version was built from. */
export interface CodeVersion {
  readonly commit: string;
  /** True when the working tree had uncommitted changes. */
  readonly dirty: boolean;
}

/** The git commit and dirty flag of the repository holding `cwd`; undefined outside a repository or without git. */
export async function detectCodeVersion(cwd: string): Promise<CodeVersion | undefined> {
  try {
    const head = await run('git', ['rev-parse', 'HEAD'], { cwd, windowsHide: true });
    const status = await run('git', ['status', '--porcelain', '--untracked-files=no'], { cwd, windowsHide: true });
    return { commit: head.stdout.trim(), dirty: status.stdout.trim() !== '' };
  } catch {
    return undefined;
  }
}

/** Version tags recording the code version and the input datasets. */
export function lineageTags(code: CodeVersion | undefined, datasets: readonly DatasetRef[] | undefined): Tags {
  const tags: Record<string, string> = {};
  if (code !== undefined) {
    tags[GIT_COMMIT_TAG] = code.commit;
    tags[GIT_DIRTY_TAG] = String(code.dirty);
  }
  if (datasets !== undefined && datasets.length > 0) {
    datasets.forEach((d, i) => {
      for (const key of ['name', 'digest', 'source'] as const) {
        if (typeof d[key] !== 'string' || d[key] === '') {
          throw new LogbookError('INVALID_PARAMETER_VALUE', `[core] Dataset ${i} needs a non-empty ${key}.`, { field: `datasets[${i}].${key}` });
        }
      }
    });
    tags[DATASETS_TAG] = JSON.stringify(datasets.map((d) => ({ name: d.name, digest: d.digest, source: d.source })));
  }
  return tags;
}

/** The MLflow run inputs of a version's datasets (context `training`). */
export function datasetInputs(datasets: readonly DatasetRef[] | undefined): DatasetInput[] {
  return (datasets ?? []).map((d) => ({ name: d.name, digest: d.digest, ...datasetSource(d.source), context: 'training' }));
}

/** The datasets recorded on a version, [] when none. */
export function datasetsOf(tags: Tags): DatasetRef[] {
  const raw = tags[DATASETS_TAG];
  if (raw === undefined) return [];
  try {
    const parsed = JSON.parse(raw) as unknown;
    return Array.isArray(parsed) ? (parsed as DatasetRef[]) : [];
  } catch {
    return [];
  }
}

/** The code version recorded on a version, if any. */
export function codeVersionOf(tags: Tags): CodeVersion | undefined {
  const commit = tags[GIT_COMMIT_TAG];
  return commit === undefined ? undefined : { commit, dirty: tags[GIT_DIRTY_TAG] === 'true' };
}
