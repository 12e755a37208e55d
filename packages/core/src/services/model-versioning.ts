import semver from 'semver';
import { inject, injectable } from 'tsyringe';
import { LogbookError } from '../errors.js';
import type { Tags } from '../model/common.js';
import { ModelStage } from '../model/enums.js';
import type { ModelVersion } from '../model/registry.js';
import { ModelRegistry } from './model-registry.js';

/** Tag holding a version's semantic version. */
export const SEMVER_TAG = 'logbook.semver';
/** Tag holding the version a version was derived from (lineage). */
export const PARENT_VERSION_TAG = 'logbook.parentVersion';
/** Tag prefix recording, on a promoted version, which version held the stage before it. */
export const PREVIOUS_HOLDER_TAG = 'logbook.previousVersion.';

/** Options of {@link ModelVersioning.createVersion}. */
export interface CreateVersionOptions {
  readonly runId?: string;
  readonly description?: string;
  readonly tags?: Tags;
  /** A semantic version (`1.2.0`, `v2.0.0-rc.1`), stored normalized in `logbook.semver`. */
  readonly semver?: string;
  /** The registry version this one derives from, stored in `logbook.parentVersion`. */
  readonly parentVersion?: string;
}

/**
 * Versioning workflows on top of the registry: semantic versions, lineage, promotion through
 * Staging/Production with the previous holder archived, and rollback to it.
 *
 * @example
 * ```ts
 * const v2 = await logbook.versioning.createVersion('unet', src, { semver: '1.1.0', parentVersion: '1' });
 * await logbook.versioning.promote('unet', v2.version, ModelStage.Production);
 * await logbook.versioning.rollback('unet', ModelStage.Production); // version 1 is back
 * ```
 */
@injectable()
export class ModelVersioning {
  constructor(@inject(ModelRegistry) private readonly registry: ModelRegistry) {}

  /**
   * Registers a new version with its semantic version and parent.
   * @throws LogbookError INVALID_PARAMETER_VALUE for an invalid semver or an unknown parent.
   */
  async createVersion(name: string, source: string, options: CreateVersionOptions = {}): Promise<ModelVersion> {
    const tags: Record<string, string> = { ...options.tags };
    if (options.semver !== undefined) {
      const normalized = semver.valid(options.semver);
      if (normalized === null) {
        throw new LogbookError('INVALID_PARAMETER_VALUE', `[core] Invalid semantic version '${options.semver}' for model '${name}': expected MAJOR.MINOR.PATCH, e.g. 1.2.0.`, { field: 'semver' });
      }
      tags[SEMVER_TAG] = normalized;
    }
    if (options.parentVersion !== undefined) {
      await this.registry.getModelVersion(name, options.parentVersion).catch((cause: unknown) => {
        throw new LogbookError('INVALID_PARAMETER_VALUE', `[core] Parent version ${options.parentVersion} of model '${name}' does not exist.`, { cause, field: 'parentVersion' });
      });
      tags[PARENT_VERSION_TAG] = options.parentVersion;
    }
    return this.registry.registerModel(name, source, {
      ...(options.runId === undefined ? {} : { runId: options.runId }),
      ...(options.description === undefined ? {} : { description: options.description }),
      tags,
    });
  }

  /** The newest version in `stage`, or the newest of all when no stage is given. */
  async getLatestVersion(name: string, stage?: ModelStage): Promise<ModelVersion | undefined> {
    if (stage !== undefined) {
      const latest = await this.registry.getLatestVersions(name, [stage]);
      return newest(latest.filter((v) => v.currentStage === stage));
    }
    return newest(await this.registry.getModelVersions(name));
  }

  /** The newest version whose semver satisfies `range` (e.g. `^1.2`), if any. */
  async findBySemver(name: string, range: string): Promise<ModelVersion | undefined> {
    const versions = (await this.registry.getModelVersions(name)).filter((v) => v.tags[SEMVER_TAG] !== undefined);
    const best = semver.maxSatisfying(versions.map((v) => v.tags[SEMVER_TAG]!), range);
    return best === null ? undefined : newest(versions.filter((v) => v.tags[SEMVER_TAG] === best));
  }

  /**
   * Moves `version` to `stage`. For Staging and Production the previous holder is archived and
   * remembered on the promoted version, so {@link rollback} can bring it back.
   */
  async promote(name: string, version: string, stage: ModelStage): Promise<ModelVersion> {
    if (stage !== ModelStage.Staging && stage !== ModelStage.Production) {
      return this.registry.transitionStage(name, version, stage, false);
    }
    const previous = await this.getLatestVersion(name, stage);
    if (previous !== undefined && previous.version !== version) {
      await this.registry.setVersionTag(name, version, PREVIOUS_HOLDER_TAG + stage, previous.version);
    }
    return this.registry.transitionStage(name, version, stage, true);
  }

  /**
   * Puts the version that held `stage` before the current holder back into it; the current
   * holder is archived.
   * @throws LogbookError INVALID_STATE when the stage is empty or has no recorded predecessor.
   */
  async rollback(name: string, stage: ModelStage): Promise<ModelVersion> {
    const current = await this.getLatestVersion(name, stage);
    const previous = current?.tags[PREVIOUS_HOLDER_TAG + stage];
    if (current === undefined || previous === undefined) {
      throw new LogbookError('INVALID_STATE', `[core] Cannot roll back ${stage} of model '${name}': ${current === undefined ? 'no version is in that stage' : `version ${current.version} has no recorded predecessor`}.`, { field: 'stage' });
    }
    return this.registry.transitionStage(name, previous, stage, true);
  }

  /** `version` followed by its parent, grandparent… (from `logbook.parentVersion` tags). */
  async getLineage(name: string, version: string): Promise<ModelVersion[]> {
    const lineage: ModelVersion[] = [];
    const seen = new Set<string>();
    let next: string | undefined = version;
    while (next !== undefined && !seen.has(next)) {
      seen.add(next);
      const current = await this.registry.getModelVersion(name, next);
      lineage.push(current);
      next = current.tags[PARENT_VERSION_TAG];
    }
    return lineage;
  }
}

function newest(versions: readonly ModelVersion[]): ModelVersion | undefined {
  return versions.reduce<ModelVersion | undefined>((best, v) => (best === undefined || Number(v.version) > Number(best.version) ? v : best), undefined);
}
