import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import semver from 'semver';
import { inject, injectable } from 'tsyringe';
import { ARTIFACT_STORE } from '../contracts/artifact-store.js';
import type { ArtifactStore } from '../contracts/artifact-store.js';
import { ERROR_HANDLER } from '../contracts/logger.js';
import type { ErrorHandler } from '../contracts/logger.js';
import { TRACKING_STORE } from '../contracts/tracking-store.js';
import type { TrackingStore } from '../contracts/tracking-store.js';
import { LogbookError, isLogbookError } from '../errors.js';
import type { ErrorCode } from '../errors.js';
import type { Tags } from '../model/common.js';
import { ModelStage, RunStatus } from '../model/enums.js';
import type { ModelVersion } from '../model/registry.js';
import type { Run } from '../model/run.js';
import { ModelRegistry } from './model-registry.js';
import { registryAuditorOf } from '../audit/audited-registry-store.js';
import { currentRegistryAuditContext } from '../audit/audit-context.js';
import type { AlertSink, ModelAlert } from './registry/alert-sink.js';
import { compareSides, versionSide } from './registry/compare-versions.js';
import type { ModelVersionComparison } from './registry/compare-versions.js';
import { liveByEnvironment, readDeployments, writeDeployment } from './registry/deployments.js';
import type { Deployment, DeploymentInput } from './registry/deployments.js';
import { ensureExperiment } from './registry/experiments.js';
import { codeVersionOf, datasetInputs, datasetsOf, detectCodeVersion, lineageTags } from './registry/lineage.js';
import { logDatasetInputs, validateDatasetInputs } from './run-inputs.js';
import type { CodeVersion, DatasetRef } from './registry/lineage.js';
import { HashingStream, digestUpFront, hashedStream, verifyingStream } from './registry/model-bytes.js';
import type { ModelData, ModelDigest } from './registry/model-bytes.js';
import { checkDegradation } from './registry/monitoring.js';
import type { MetricCheck, MonitoringOptions } from './registry/monitoring.js';
import { listVersions, newestVersion, parseModelStage } from './registry/resolve-version.js';
import {
  ARTIFACT_PATH_TAG,
  ARTIFACT_RUN_TAG,
  MODELS_EXPERIMENT,
  PARENT_VERSION_TAG,
  PREVIOUS_HOLDER_TAG,
  REGISTERED_BY_TAG,
  SEMVER_BUMP_TAG,
  SEMVER_TAG,
  SHA256_TAG,
  SIZE_TAG,
} from './registry/tags.js';
import { isSemverBump, semverByVersion } from './registry/semver-order.js';

export { PARENT_VERSION_TAG, PREVIOUS_HOLDER_TAG, SEMVER_BUMP_TAG, SEMVER_TAG } from './registry/tags.js';

/** Folder (under the holding run's artifact root) of the bytes of versions created from bytes. */
const UPLOAD_FOLDER = 'logbook-models';

/** Where {@link ModelVersioning.createModelVersion} put the bytes. */
interface StoredBytes {
  readonly run: Run;
  /** True when the run was created to hold them (no source run given). */
  readonly ownRun: boolean;
  readonly folder: string;
  readonly path: string;
  readonly digest: ModelDigest;
}

/** Metadata of {@link ModelVersioning.createModelVersion}. */
export interface ModelVersionMetadata {
  /** The semantic version (`1.2.0`, `v2.0.0-rc.1`); when absent, the highest existing one is bumped by `bump`. */
  readonly semver?: string;
  /** Which part to bump when `semver` is absent; the first version is `1.0.0`. @default 'minor' */
  readonly bump?: 'major' | 'minor' | 'patch';
  /**
   * The run that trained it: the version's run, holder of its bytes (MLflow wants the source
   * inside the version's run) and its metrics are the monitoring baseline. Without it the bytes
   * go to a new run of the `logbook/models` experiment, which becomes the version's run.
   */
  readonly runId?: string;
  readonly description?: string;
  readonly tags?: Tags;
  /** The version this one derives from (any version reference). */
  readonly parentVersion?: string;
  /** Input datasets, recorded as the `logbook.datasets` tag. */
  readonly datasets?: readonly DatasetRef[];
  /** The code version; detected from `cwd`'s git repository when absent; `false` records none. */
  readonly codeVersion?: CodeVersion | false;
  /** Where to look for a git repository. @default process.cwd() */
  readonly cwd?: string;
  /** Who registers it (`logbook.registeredBy`). */
  readonly registeredBy?: string;
  /** File name of the bytes in the artifact store. @default 'model.bin' */
  readonly fileName?: string;
  /**
   * The same bytes (same SHA-256) already registered for this model: `error` throws
   * RESOURCE_ALREADY_EXISTS naming the existing version; `return` returns that version's semver.
   * Either way nothing is stored twice. @default 'error'
   */
  readonly onDuplicate?: 'error' | 'return';
}

/** Options of {@link ModelVersioning.rollbackModelVersion}. */
export interface RollbackOptions {
  /** What happens to the versions the target replaces in Production. @default 'archive' */
  readonly replaced?: 'archive' | 'keep';
  /** Environment of the deployment event recorded. @default 'production' */
  readonly environment?: string;
  /** Who rolls back. @default the actor of the running `withRegistryAuditContext`, else 'logbook' */
  readonly by?: string;
}

/** One link of {@link ModelVersioning.getLineage}. */
export interface LineageEntry {
  readonly version: ModelVersion;
  readonly semver?: string;
  readonly parentVersion?: string;
  readonly runId?: string;
  readonly code?: CodeVersion;
  readonly datasets: readonly DatasetRef[];
  readonly registeredBy?: string;
}

/** What {@link ModelVersioning.logLiveMetrics} found. */
export interface LiveMetricsReport {
  readonly deployment: Deployment;
  readonly checks: readonly MetricCheck[];
  /** The alert raised, when a metric degraded past its threshold. */
  readonly alert?: ModelAlert;
}

/**
 * The ticket's `ModelVersioning`: model bytes in and out (streamed, SHA-256 checked), semantic
 * versions, comparison, rollback to a chosen version, archiving, lineage, deployments and live
 * performance monitoring. Version references are read as {@link resolveModelVersion} does.
 *
 * @example
 * ```ts
 * const semver = await logbook.versioning.createModelVersion('unet', { filePath: 'weights.bin' }, { runId, bump: 'minor' });
 * await logbook.registry.transitionModelStage('unet', semver, 'Production');
 * await logbook.versioning.recordDeployment('unet', semver, { environment: 'production', status: 'deployed', by: 'ci' });
 * await logbook.versioning.logLiveMetrics('unet', semver, 'production', { precision: 0.91 });
 * await logbook.versioning.rollbackModelVersion('unet', '1.0.0');
 * ```
 */
@injectable()
export class ModelVersioning {
  /** Thresholds and alert sinks, shared with the views made by {@link over}. */
  private alerting: { monitoring: MonitoringOptions; readonly sinks: AlertSink[] } = { monitoring: {}, sinks: [] };

  constructor(
    @inject(ModelRegistry) private readonly registry: ModelRegistry,
    @inject(TRACKING_STORE) private readonly tracking: TrackingStore,
    @inject(ARTIFACT_STORE) private readonly artifacts: ArtifactStore,
    @inject(ERROR_HANDLER) private readonly onError: ErrorHandler,
  ) {}

  /**
   * The same service over another registry (e.g. one whose store records an audit trail): it
   * shares this one's monitoring thresholds and alert sinks, now and after later changes.
   */
  over(registry: ModelRegistry): ModelVersioning {
    const view = new ModelVersioning(registry, this.tracking, this.artifacts, this.onError);
    view.alerting = this.alerting;
    return view;
  }

  /** Sets the degradation thresholds used by {@link logLiveMetrics}. */
  configureMonitoring(options: MonitoringOptions): void {
    this.alerting.monitoring = { ...options };
  }

  /** Adds an alert sink; returns a function that removes it. */
  addAlertSink(sink: AlertSink): () => void {
    this.alerting.sinks.push(sink);
    return () => {
      const i = this.alerting.sinks.indexOf(sink);
      if (i >= 0) this.alerting.sinks.splice(i, 1);
    };
  }

  /**
   * Stores `modelData` (bytes, a stream or `{ filePath }`, streamed, never held whole) in the
   * artifact store (under `logbook-models/<uuid>/` of the source run, or of a new run in the
   * `logbook/models` experiment when there is none), records its SHA-256
   * and size, and registers it as a new version. Returns the new version's semver.
   * @throws LogbookError INVALID_PARAMETER_VALUE (semver, bump, datasets, parent);
   *   RESOURCE_ALREADY_EXISTS for a semver taken or, by default, bytes already registered.
   */
  async createModelVersion(modelName: string, modelData: ModelData, metadata: ModelVersionMetadata = {}): Promise<string> {
    const explicit = metadata.semver === undefined ? undefined : validSemver(modelName, metadata.semver);
    const bump = metadata.bump ?? 'minor';
    if (!isSemverBump(bump)) {
      throw new LogbookError('INVALID_PARAMETER_VALUE', `[core] Unknown semver bump '${bump}': expected major, minor or patch.`, { field: 'bump' });
    }
    const existing = await this.versionsOrNone(modelName);
    if (explicit !== undefined && [...semverByVersion(existing).values()].includes(explicit)) {
      throw new LogbookError('RESOURCE_ALREADY_EXISTS', `[core] Model '${modelName}' already has a version ${explicit}.`, { field: 'semver' });
    }
    const parent = metadata.parentVersion === undefined ? undefined : await this.parentOf(modelName, metadata.parentVersion);
    const code = metadata.codeVersion === false ? undefined : (metadata.codeVersion ?? (await detectCodeVersion(metadata.cwd ?? process.cwd())));
    const lineage = lineageTags(code, metadata.datasets);
    const inputs = datasetInputs(metadata.datasets);
    validateDatasetInputs(inputs);

    const known = await digestUpFront(modelData);
    if (known !== undefined) {
      const dup = duplicateOf(existing, known);
      if (dup !== undefined) return this.duplicate(modelName, dup, existing, metadata);
    }
    const stored = await this.upload(modelName, modelData, metadata, known);
    if (known === undefined) {
      const current = await this.versionsOrNone(modelName).catch(async (error: unknown) => {
        await this.discardUpload(stored);
        throw error;
      });
      const dup = duplicateOf(current, stored.digest);
      if (dup !== undefined) {
        await this.discardUpload(stored);
        return this.duplicate(modelName, dup, current, metadata);
      }
    }
    try {
      // The datasets become MLflow run inputs of the version's run too (a tag where the store has none).
      await logDatasetInputs(this.tracking, stored.run.info.runId, inputs);
    } catch (error) {
      await this.discardUpload(stored);
      throw error;
    }
    const created = await this.register(stored, () =>
      this.registry.registerModel(`${stored.run.info.artifactUri}/${stored.path}`, modelName, stored.run.info.runId, {
        ...(metadata.description === undefined ? {} : { description: metadata.description }),
        tags: {
          ...withoutSemverTags(metadata.tags),
          ...lineage,
          ...(explicit === undefined ? { [SEMVER_BUMP_TAG]: bump } : { [SEMVER_TAG]: explicit }),
          [SHA256_TAG]: stored.digest.sha256,
          [SIZE_TAG]: String(stored.digest.size),
          [ARTIFACT_RUN_TAG]: stored.run.info.runId,
          [ARTIFACT_PATH_TAG]: stored.path,
          ...(parent === undefined ? {} : { [PARENT_VERSION_TAG]: parent.version }),
          ...(metadata.registeredBy === undefined ? {} : { [REGISTERED_BY_TAG]: metadata.registeredBy }),
        },
      }),
    );
    return this.settleSemver(modelName, created, explicit, stored, metadata);
  }

  /**
   * The bytes of a version created by {@link createModelVersion}, checksum verified.
   * @throws LogbookError DATA_LOSS when the stored bytes do not match the recorded SHA-256 or size;
   *   INVALID_STATE for a version registered from a URI (no recorded bytes).
   */
  async getModelVersion(modelName: string, version: string): Promise<Buffer> {
    const chunks: Buffer[] = [];
    for await (const chunk of await this.openModelVersion(modelName, version)) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  }

  /** Streaming variant of {@link getModelVersion}: the stream errors with DATA_LOSS at its end on a checksum mismatch. */
  async openModelVersion(modelName: string, version: string): Promise<Readable> {
    const mv = await this.registry.getModelVersion(modelName, version);
    const runId = mv.tags[ARTIFACT_RUN_TAG];
    const path = mv.tags[ARTIFACT_PATH_TAG];
    const sha256 = mv.tags[SHA256_TAG];
    const size = Number(mv.tags[SIZE_TAG]);
    if (runId === undefined || path === undefined || sha256 === undefined || !Number.isSafeInteger(size)) {
      throw new LogbookError('INVALID_STATE', `[core] Version ${mv.version} of model '${modelName}' was registered from a URI (${mv.source}), not from bytes: read it there.`, { field: 'version' });
    }
    const run = await this.tracking.getRun(runId);
    const download = await this.artifacts.get(run.info.artifactUri, path);
    return verifyingStream(download.stream, { sha256, size }, `version ${mv.version} of model '${modelName}'`);
  }

  /** The structured difference of two versions (see {@link ModelVersionComparison}). */
  async compareModelVersions(modelName: string, version1: string, version2: string): Promise<ModelVersionComparison> {
    const [a, b] = await Promise.all([this.registry.getModelVersion(modelName, version1), this.registry.getModelVersion(modelName, version2)]);
    const history = await readDeployments(this.tracking, modelName);
    const side = async (mv: ModelVersion) =>
      versionSide(
        mv,
        (await this.getLineage(modelName, mv.version)).map((e) => e.version.version),
        history.filter((d) => d.version === mv.version),
      );
    const [s1, s2, r1, r2] = await Promise.all([side(a), side(b), this.sourceRun(a), this.sourceRun(b)]);
    return compareSides(modelName, s1, s2, r1, r2);
  }

  /**
   * Puts `targetVersion` in Production; the versions it replaces there are archived (or kept, by
   * `options.replaced`); the move is recorded as a deployment event of kind `rollback`.
   */
  async rollbackModelVersion(modelName: string, targetVersion: string, options: RollbackOptions = {}): Promise<ModelVersion> {
    const target = await this.registry.getModelVersion(modelName, targetVersion);
    const replaced = (await this.registry.listModelVersions(modelName)).filter((v) => v.currentStage === ModelStage.Production && v.version !== target.version);
    const moved = await this.registry.transitionModelStage(modelName, target.version, ModelStage.Production, false);
    if ((options.replaced ?? 'archive') === 'archive') {
      for (const v of replaced) await this.registry.transitionModelStage(modelName, v.version, ModelStage.Archived, false);
    }
    const input: DeploymentInput = { environment: options.environment ?? 'production', status: 'deployed', by: options.by ?? currentRegistryAuditContext()?.actor ?? 'logbook' };
    const event = await writeDeployment(this.tracking, moved, input, { kind: 'rollback', replaced: replaced.map((v) => v.version) });
    await this.auditDeployment('model.rollback', event, input, { replaced: replaced.map((v) => v.version).join(','), stage: target.currentStage });
    return moved;
  }

  /** Moves a version to Archived. */
  archiveModelVersion(modelName: string, version: string): Promise<ModelVersion> {
    return this.registry.transitionModelStage(modelName, version, ModelStage.Archived, false);
  }

  /** `version` followed by its parent, grandparent…, each with source run, code version, datasets and who registered it. */
  async getLineage(modelName: string, version: string): Promise<LineageEntry[]> {
    const lineage: LineageEntry[] = [];
    const seen = new Set<string>();
    let next: string | undefined = (await this.registry.getModelVersion(modelName, version)).version;
    while (next !== undefined && !seen.has(next)) {
      seen.add(next);
      const current = await this.registry.getModelVersion(modelName, next);
      const t = current.tags;
      const code = codeVersionOf(t);
      lineage.push({
        version: current,
        datasets: datasetsOf(t),
        ...(t[SEMVER_TAG] === undefined ? {} : { semver: t[SEMVER_TAG] }),
        ...(t[PARENT_VERSION_TAG] === undefined ? {} : { parentVersion: t[PARENT_VERSION_TAG] }),
        ...(current.runId === undefined || current.runId === '' ? {} : { runId: current.runId }),
        ...(code === undefined ? {} : { code }),
        ...(t[REGISTERED_BY_TAG] === undefined ? {} : { registeredBy: t[REGISTERED_BY_TAG] }),
      });
      next = t[PARENT_VERSION_TAG];
    }
    return lineage;
  }

  /** Records a deployment event of a version (one run in the `logbook/deployments` experiment). */
  async recordDeployment(modelName: string, version: string, input: DeploymentInput): Promise<Deployment> {
    const mv = await this.registry.getModelVersion(modelName, version);
    const event = await writeDeployment(this.tracking, mv, input);
    await this.auditDeployment('model.deploy', event, input);
    return event;
  }

  /** Deployment events of a model, newest first (optionally of one environment). */
  async getDeploymentHistory(modelName: string, environment?: string): Promise<Deployment[]> {
    await this.registry.getModel(modelName);
    return readDeployments(this.tracking, modelName, environment === undefined ? {} : { environment });
  }

  /** The live deployment per environment. */
  async getLiveVersions(modelName: string): Promise<Record<string, Deployment>> {
    return liveByEnvironment(await this.getDeploymentHistory(modelName));
  }

  /**
   * Logs live metrics on the version's current deployment in `environment` (as metric history
   * of its run), compares them with the version's source-run metrics and, past the threshold,
   * raises an alert through the error handler and every alert sink.
   * @throws LogbookError INVALID_STATE when the version is not deployed in that environment.
   */
  async logLiveMetrics(modelName: string, version: string, environment: string, metrics: Readonly<Record<string, number>>): Promise<LiveMetricsReport> {
    const mv = await this.registry.getModelVersion(modelName, version);
    const events = await readDeployments(this.tracking, modelName, { environment, version: mv.version });
    const deployment = events.find((d) => d.status === 'deployed');
    if (deployment === undefined) {
      throw new LogbookError('INVALID_STATE', `[core] Version ${mv.version} of model '${modelName}' has no deployment in '${environment}': record one with recordDeployment first.`, {
        field: 'environment',
      });
    }
    const run = await this.tracking.getRun(deployment.id);
    const steps = new Map(run.data.metrics.map((m) => [m.key, m.step]));
    const timestamp = Date.now();
    await this.tracking.logBatch(deployment.id, {
      metrics: Object.entries(metrics).map(([key, value]) => ({ key, value, timestamp, step: (steps.get(key) ?? -1) + 1 })),
    });
    const source = await this.sourceRun(mv);
    const baseline = Object.fromEntries((source?.data.metrics ?? []).map((m) => [m.key, m.value]));
    const { checks, degraded } = checkDegradation(metrics, baseline, this.alerting.monitoring);
    const updated = { ...deployment, liveMetrics: { ...deployment.liveMetrics, ...metrics } };
    if (degraded.length === 0) return { deployment: updated, checks };
    const alert: ModelAlert = {
      kind: 'model.degraded',
      modelName,
      version: mv.version,
      environment,
      deploymentId: deployment.id,
      metrics: degraded,
      at: new Date(timestamp).toISOString(),
      ...(mv.tags[SEMVER_TAG] === undefined ? {} : { semver: mv.tags[SEMVER_TAG] }),
    };
    await this.raise(alert);
    return { deployment: updated, checks, alert };
  }

  /** @deprecated Use {@link createModelVersion} (bytes) or `registry.registerModel` (a URI). */
  async createVersion(name: string, source: string, options: CreateVersionOptions = {}): Promise<ModelVersion> {
    const tags: Record<string, string> = { ...options.tags };
    if (options.semver !== undefined) tags[SEMVER_TAG] = validSemver(name, options.semver);
    if (options.parentVersion !== undefined) tags[PARENT_VERSION_TAG] = (await this.parentOf(name, options.parentVersion)).version;
    return this.registry.registerModel(source, name, options.runId, { ...(options.description === undefined ? {} : { description: options.description }), tags });
  }

  /** @deprecated Use `registry.getLatestModel`. The newest version in `stage` (or of all), undefined when none. */
  async getLatestVersion(name: string, stage?: ModelStage): Promise<ModelVersion | undefined> {
    try {
      return await this.registry.getLatestModel(name, stage);
    } catch (error) {
      if (isLogbookError(error, 'RESOURCE_DOES_NOT_EXIST')) {
        await this.registry.getModel(name);
        return undefined;
      }
      throw error;
    }
  }

  /** @deprecated Use `registry.getModelVersion(name, range)`. The newest version whose semver satisfies `range`. */
  async findBySemver(name: string, range: string): Promise<ModelVersion | undefined> {
    const versions = (await this.registry.listModelVersions(name)).filter((v) => v.tags[SEMVER_TAG] !== undefined);
    const best = semver.maxSatisfying(
      versions.map((v) => v.tags[SEMVER_TAG]!),
      range,
    );
    return best === null ? undefined : newestVersion(versions.filter((v) => v.tags[SEMVER_TAG] === best));
  }

  /**
   * @deprecated Use `registry.transitionModelStage(name, version, stage, true)` or {@link rollbackModelVersion}.
   * Moves `version` to `stage`; for Staging and Production the previous holder is archived and remembered.
   */
  async promote(name: string, version: string, stage: ModelStage): Promise<ModelVersion> {
    const target = parseModelStage(stage);
    if (target !== ModelStage.Staging && target !== ModelStage.Production) return this.registry.transitionModelStage(name, version, target, false);
    const previous = await this.getLatestVersion(name, target);
    if (previous !== undefined && previous.version !== version) await this.registry.setVersionTag(name, version, PREVIOUS_HOLDER_TAG + target, previous.version);
    return this.registry.transitionModelStage(name, version, target, true);
  }

  /** @deprecated Use {@link rollbackModelVersion} with a chosen version. Brings back the previous holder of `stage`. */
  async rollback(name: string, stage: ModelStage): Promise<ModelVersion> {
    const current = await this.getLatestVersion(name, stage);
    const previous = current?.tags[PREVIOUS_HOLDER_TAG + stage];
    if (current === undefined || previous === undefined) {
      throw new LogbookError(
        'INVALID_STATE',
        `[core] Cannot roll back ${stage} of model '${name}': ${current === undefined ? 'no version is in that stage' : `version ${current.version} has no recorded predecessor`}.`,
        { field: 'stage' },
      );
    }
    return this.registry.transitionModelStage(name, previous, stage, true);
  }

  /** Reports a deployment event to the registry's audit sink, when it has one. */
  private async auditDeployment(action: string, event: Deployment, input: DeploymentInput, before?: Readonly<Record<string, string>>): Promise<void> {
    const auditor = registryAuditorOf(this.registry.registryStore);
    if (auditor === undefined) return;
    await auditor.record(
      {
        action,
        target: `model:${event.modelName}/${event.version}`,
        ...(before === undefined ? {} : { before }),
        after: { environment: event.environment, status: event.status, deployment: event.id, ...(input.url === undefined ? {} : { url: input.url }) },
      },
      input.by,
    );
  }

  private async raise(alert: ModelAlert): Promise<void> {
    const summary = alert.metrics.map((m) => `${m.key} ${m.baseline} → ${m.live} (${(m.degradation * 100).toFixed(1)} % worse, threshold ${(m.threshold * 100).toFixed(1)} %)`).join('; ');
    this.onError(new LogbookError('INVALID_STATE', `[core] Model '${alert.modelName}' version ${alert.version} degraded in ${alert.environment}: ${summary}.`), {
      operation: 'model.degraded',
      runId: alert.deploymentId,
    });
    await this.tracking
      .setTag(alert.deploymentId, 'logbook.alert', JSON.stringify(alert.metrics))
      .catch((error: unknown) => this.onError(error, { operation: 'model.alert.tag', runId: alert.deploymentId }));
    await Promise.all(this.alerting.sinks.map((sink) => sink.send(alert).catch((error: unknown) => this.onError(error, { operation: 'model.alert.sink', runId: alert.deploymentId }))));
  }

  private async sourceRun(mv: ModelVersion): Promise<Run | undefined> {
    if (mv.runId === undefined || mv.runId === '') return undefined;
    return this.tracking.getRun(mv.runId).catch((error: unknown) => {
      if (isLogbookError(error, 'RESOURCE_DOES_NOT_EXIST')) return undefined;
      throw error;
    });
  }

  private async versionsOrNone(name: string): Promise<ModelVersion[]> {
    try {
      return await listVersions(this.registry.registryStore, name);
    } catch (error) {
      if (isLogbookError(error, 'RESOURCE_DOES_NOT_EXIST')) return [];
      throw error;
    }
  }

  private async parentOf(name: string, ref: string): Promise<ModelVersion> {
    return this.registry.getModelVersion(name, ref).catch((cause: unknown) => {
      throw new LogbookError('INVALID_PARAMETER_VALUE', `[core] Parent version ${ref} of model '${name}' does not exist.`, { cause, field: 'parentVersion' });
    });
  }

  /**
   * Streams the bytes under the source run's artifact root when there is one (MLflow requires a
   * version's run to hold its source), else under a new run of `logbook/models`.
   */
  private async upload(name: string, data: ModelData, metadata: ModelVersionMetadata, known: ModelDigest | undefined): Promise<StoredBytes> {
    const fileName = metadata.fileName ?? 'model.bin';
    if (fileName.includes('/') || fileName.includes('\\') || fileName === '' || fileName === '.' || fileName === '..') {
      throw new LogbookError('INVALID_PARAMETER_VALUE', `[core] Model file name '${fileName}' must be one path segment.`, { field: 'fileName' });
    }
    const ownRun = metadata.runId === undefined;
    const run = ownRun ? await this.storageRun(name, metadata) : await this.tracking.getRun(metadata.runId!);
    const folder = `${UPLOAD_FOLDER}/${randomUUID()}`;
    const stored: StoredBytes = { run, ownRun, folder, path: `${folder}/${fileName}`, digest: { sha256: '', size: 0 } };
    const hash = new HashingStream();
    try {
      await this.artifacts.put(run.info.artifactUri, stored.path, hashedStream(data, hash), known === undefined ? {} : { size: known.size });
      const digest = await hash.settled();
      if (known !== undefined && (known.sha256 !== digest.sha256 || known.size !== digest.size)) {
        throw new LogbookError('DATA_LOSS', `[core] Model bytes changed while being stored (SHA-256 ${known.sha256} before, ${digest.sha256} while uploading).`, { field: 'modelData' });
      }
      if (ownRun) await this.tracking.updateRun(run.info.runId, { status: RunStatus.FINISHED, endTime: Date.now() });
      return { ...stored, digest };
    } catch (error) {
      await this.discardUpload(stored);
      throw error;
    }
  }

  private async storageRun(name: string, metadata: ModelVersionMetadata): Promise<Run> {
    const experimentId = await ensureExperiment(this.tracking, MODELS_EXPERIMENT);
    return this.tracking.createRun({
      experimentId,
      runName: name,
      tags: { 'logbook.model': name, ...(metadata.registeredBy === undefined ? {} : { 'mlflow.user': metadata.registeredBy }) },
    });
  }

  /**
   * Registers the stored bytes as a version. When that surely had no effect (refused by the
   * store, or never sent: LogbookError `unsent`, e.g. connection refused or the spool's breaker
   * open) the bytes and their run are discarded, so nothing is left that no version points at.
   * Otherwise (an answer lost, a server error) the version may exist: the bytes stay and the error
   * handler is told where they are.
   */
  private async register(stored: StoredBytes, create: () => Promise<ModelVersion>): Promise<ModelVersion> {
    try {
      return await create();
    } catch (error) {
      if (hadNoEffect(error)) await this.discardUpload(stored);
      else {
        const where = `${stored.run.info.artifactUri}/${stored.path}`;
        const message = `[core] Registering the model bytes at ${where} failed and the version may exist; the bytes are kept.`;
        const kept = new LogbookError('TEMPORARILY_UNAVAILABLE', message, { cause: error, field: 'modelData' });
        this.onError(kept, { operation: 'model.register', runId: stored.run.info.runId });
      }
      throw error;
    }
  }

  /** Deletes a version this writer created, and its bytes. */
  private async withdraw(created: ModelVersion, stored: StoredBytes): Promise<void> {
    await this.registry.registryStore.deleteModelVersion(created.name, created.version).catch((error: unknown) => this.onError(error, { operation: 'model.withdrawVersion' }));
    await this.discardUpload(stored);
  }

  private async discardUpload(stored: StoredBytes): Promise<void> {
    const report = (error: unknown): void => this.onError(error, { operation: 'model.discardUpload', runId: stored.run.info.runId });
    await this.artifacts.delete(stored.run.info.artifactUri, stored.folder).catch(report);
    if (stored.ownRun) await this.tracking.deleteRun(stored.run.info.runId).catch(report);
  }

  /** `existing`: the version holding the same bytes, among `versions` (for its semver while it settles). */
  private async duplicate(name: string, existing: ModelVersion, versions: readonly ModelVersion[], metadata: ModelVersionMetadata): Promise<string> {
    const computed = semverByVersion(versions).get(existing.version);
    if (computed !== undefined && existing.tags[SEMVER_TAG] === undefined) {
      // Its writer died before recording its semver (or is recording it now): every process computes the same one.
      await this.registry.registryStore.setModelVersionTag(name, existing.version, SEMVER_TAG, computed).catch((error: unknown) => this.onError(error, { operation: 'model.recordSemver' }));
    }
    const existingSemver = computed ?? existing.version;
    if (metadata.onDuplicate === 'return') return existingSemver;
    throw new LogbookError(
      'RESOURCE_ALREADY_EXISTS',
      `[core] These bytes (SHA-256 ${existing.tags[SHA256_TAG]}) are already version ${existing.version} (${existingSemver}) of model '${name}'; nothing was stored.`,
      { field: 'modelData' },
    );
  }

  /**
   * Fixes the semver of `created`, a version registered by this process. A bumped one gets the
   * value every process computes from the versions numbered below it ({@link semverByVersion}),
   * so two processes registering at once never share one; if a lower-numbered version holds the
   * same bytes (registered at the same time), it is withdrawn instead and answers as a duplicate.
   * An explicit one that a lower-numbered version took meanwhile is withdrawn. Withdrawn: the
   * version and its bytes are deleted.
   */
  private async settleSemver(name: string, created: ModelVersion, explicit: string | undefined, stored: StoredBytes, metadata: ModelVersionMetadata): Promise<string> {
    const versions = await listVersions(this.registry.registryStore, name);
    const below = versions.filter((v) => Number(v.version) < Number(created.version));
    if (explicit !== undefined) {
      if (![...semverByVersion(below).values()].includes(explicit)) return explicit;
      await this.withdraw(created, stored);
      throw new LogbookError('RESOURCE_ALREADY_EXISTS', `[core] Model '${name}' already has a version ${explicit}.`, { field: 'semver' });
    }
    // The same bytes registered meanwhile by a writer that got a lower number: that one stands.
    const dup = duplicateOf(below, stored.digest);
    if (dup !== undefined) {
      await this.withdraw(created, stored);
      return this.duplicate(name, dup, below, metadata);
    }
    const value = semverByVersion([...below, created]).get(created.version)!;
    await this.registry.registryStore.setModelVersionTag(name, created.version, SEMVER_TAG, value);
    return value;
  }
}

function validSemver(name: string, value: string): string {
  const normalized = semver.valid(value);
  if (normalized === null) {
    throw new LogbookError('INVALID_PARAMETER_VALUE', `[core] Invalid semantic version '${value}' for model '${name}': expected MAJOR.MINOR.PATCH, e.g. 1.2.0.`, { field: 'semver' });
  }
  return normalized;
}

/** Failures after which a new version may exist (the store did not say it refused the call). */
const OUTCOME_UNKNOWN: readonly ErrorCode[] = ['TEMPORARILY_UNAVAILABLE', 'INTERNAL_ERROR', 'DEADLINE_EXCEEDED', 'CANCELLED', 'DATA_LOSS'];

function hadNoEffect(error: unknown): boolean {
  return error instanceof LogbookError && (error.unsent || !OUTCOME_UNKNOWN.includes(error.code));
}

/** The caller's tags without the two that {@link semverByVersion} reads: only Logbook sets those. */
function withoutSemverTags(tags: Tags | undefined): Tags {
  const { [SEMVER_TAG]: _semver, [SEMVER_BUMP_TAG]: _bump, ...rest } = tags ?? {};
  return rest;
}

function duplicateOf(versions: readonly ModelVersion[], digest: ModelDigest): ModelVersion | undefined {
  return versions.find((v) => v.tags[SHA256_TAG] === digest.sha256 && v.tags[SIZE_TAG] === String(digest.size));
}

/** @deprecated Options of the deprecated {@link ModelVersioning.createVersion}. */
export interface CreateVersionOptions {
  readonly runId?: string;
  readonly description?: string;
  readonly tags?: Tags;
  readonly semver?: string;
  readonly parentVersion?: string;
}
