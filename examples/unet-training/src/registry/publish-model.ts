import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ModelStage, PARENT_VERSION_TAG, SEMVER_TAG, isLogbookError } from '@logbook/core';
import type { Logbook, ModelVersion } from '@logbook/core';
import type { TrainingResult } from '../training/transient-detector.js';

/** Where the published model went. */
export interface PublishedModel {
  /** The weights file written before it was logged. */
  readonly weightsPath: string;
  /** Artifact path inside the run. */
  readonly artifactPath: string;
  readonly version: ModelVersion;
  readonly semver: string;
}

/** Options of {@link publishModel}. */
export interface PublishOptions {
  readonly modelName: string;
  /** @default a fresh temp folder */
  readonly outDir?: string | undefined;
}

const ARTIFACT_PATH = 'model/weights.json';

/**
 * Saves the model's weights (and flagging threshold) to a JSON file, logs the file as an artifact
 * of its run, registers it as the next version of `modelName` (semver: next minor of the latest
 * version's, lineage to it) and promotes it to Staging, archiving the version that held it.
 */
export async function publishModel(logbook: Logbook, result: TrainingResult, options: PublishOptions): Promise<PublishedModel> {
  const dir = options.outDir ?? (await mkdtemp(join(tmpdir(), 'unet-training-')));
  await mkdir(dir, { recursive: true });
  const weightsPath = join(dir, 'weights.json');
  await writeFile(weightsPath, JSON.stringify(result.model.save(result.threshold)));
  await logbook.tracker.logArtifacts({ [ARTIFACT_PATH]: weightsPath }, result.runId);

  const previous = await latestVersion(logbook, options.modelName);
  const semver = nextMinor(previous?.tags['logbook.semver']);
  const created = await logbook.registry.registerModel(`runs:/${result.runId}/model`, options.modelName, result.runId, {
    description: 'Encoder-decoder flagging transients in difference images by reconstruction error',
    tags: { [SEMVER_TAG]: semver, ...(previous === undefined ? {} : { [PARENT_VERSION_TAG]: previous.version }) },
  });
  const version = await logbook.registry.transitionModelStage(options.modelName, created.version, ModelStage.Staging, true);
  return { weightsPath, artifactPath: ARTIFACT_PATH, version, semver };
}

async function latestVersion(logbook: Logbook, name: string): Promise<ModelVersion | undefined> {
  try {
    return await logbook.registry.getLatestModel(name);
  } catch (error) {
    if (isLogbookError(error, 'RESOURCE_DOES_NOT_EXIST')) return undefined;
    throw error;
  }
}

/** `0.1.0` first, then the next minor version. */
function nextMinor(current: string | undefined): string {
  const match = current === undefined ? null : /^(\d+)\.(\d+)\.\d+/.exec(current);
  return match === null ? '0.1.0' : `${match[1]}.${Number(match[2]) + 1}.0`;
}
