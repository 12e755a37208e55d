import type { TrackingStore } from '../contracts/tracking-store.js';
import { LogbookError } from '../errors.js';
import type { DatasetInput } from '../model/dataset-input.js';
import type { Run } from '../model/run.js';
import { codePointLength } from '../validation/code-points.js';

/** Run tag holding the dataset inputs of a run where the store has no native inputs (SQLite, memory); sync turns it into MLflow run inputs. */
export const INPUTS_TAG = 'logbook.inputs';

/** MLflow's limits of a dataset input (`runs/log-inputs`). */
const LIMITS = { name: 500, digest: 36, source: 65_535, sourceType: 500, context: 500 } as const;

/** The MLflow source type and source JSON of a dataset location (`s3://…`, `https://…`, a path). */
export function datasetSource(location: string): { readonly sourceType: string; readonly source: string } {
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(location)?.[1]?.toLowerCase();
  if (scheme === 'http' || scheme === 'https') return { sourceType: 'http', source: JSON.stringify({ url: location }) };
  const sourceType = scheme === undefined || scheme === 'file' ? 'local' : ['s3', 's3a', 'gs', 'hf', 'dbfs'].includes(scheme) ? (scheme === 's3a' ? 's3' : scheme) : 'external';
  return { sourceType, source: JSON.stringify({ uri: location }) };
}

/**
 * Checks inputs against MLflow's limits (counted in code points) before anything is written.
 * @throws LogbookError INVALID_PARAMETER_VALUE naming `<field>[i].<key>` and the limit.
 */
export function validateDatasetInputs(inputs: readonly DatasetInput[], field = 'datasets'): void {
  inputs.forEach((input, i) => {
    for (const key of ['name', 'digest', 'sourceType', 'source', 'context'] as const) {
      const value = input[key];
      if (value === undefined && key === 'context') continue;
      if (typeof value !== 'string' || value === '') {
        throw new LogbookError('INVALID_PARAMETER_VALUE', `[core] Dataset input ${i} needs a non-empty ${key}.`, { field: `${field}[${i}].${key}` });
      }
      if (codePointLength(value) > LIMITS[key]) {
        throw new LogbookError('INVALID_PARAMETER_VALUE', `[core] Dataset input ${i}: ${key} has ${codePointLength(value)} characters; MLflow allows at most ${LIMITS[key]}.`, {
          field: `${field}[${i}].${key}`,
        });
      }
    }
  });
}

const identity = (d: DatasetInput): string => JSON.stringify([d.name, d.digest, d.context ?? '']);

/** The dataset inputs of a run: native ones (MLflow) and those kept in {@link INPUTS_TAG}, once each. */
export function runDatasetInputs(run: Run): DatasetInput[] {
  return uniqueInputs([...(run.inputs ?? []), ...parseInputsTag(run.data.tags[INPUTS_TAG])]);
}

function uniqueInputs(all: readonly DatasetInput[]): DatasetInput[] {
  const seen = new Set<string>();
  const out: DatasetInput[] = [];
  for (const d of all) {
    if (seen.has(identity(d))) continue;
    seen.add(identity(d));
    out.push(d);
  }
  return out;
}

/** The inputs of an {@link INPUTS_TAG} value; [] for anything unreadable. */
export function parseInputsTag(value: string | undefined): DatasetInput[] {
  if (value === undefined) return [];
  try {
    const parsed = JSON.parse(value) as unknown;
    if (!Array.isArray(parsed)) return [];
    return parsed.filter(
      (d): d is DatasetInput => typeof d === 'object' && d !== null && ['name', 'digest', 'sourceType', 'source'].every((k) => typeof (d as Record<string, unknown>)[k] === 'string'),
    );
  } catch {
    return [];
  }
}

/**
 * Records dataset inputs of a run: natively where the store has `logInputs` (MLflow's
 * `runs/log-inputs`), else merged into the run's {@link INPUTS_TAG} (SQLite, memory), which
 * `logbook sync` carries and turns into MLflow run inputs on the target.
 */
export async function logDatasetInputs(tracking: TrackingStore, runId: string, inputs: readonly DatasetInput[]): Promise<void> {
  if (inputs.length === 0) return;
  validateDatasetInputs(inputs);
  if (tracking.logInputs !== undefined) {
    await tracking.logInputs(runId, inputs);
    return;
  }
  const run = await tracking.getRun(runId);
  const merged = uniqueInputs([...parseInputsTag(run.data.tags[INPUTS_TAG]), ...inputs]);
  await tracking.setTag(
    runId,
    INPUTS_TAG,
    JSON.stringify(merged.map((d) => ({ name: d.name, digest: d.digest, sourceType: d.sourceType, source: d.source, ...(d.context === undefined ? {} : { context: d.context }) }))),
  );
}
