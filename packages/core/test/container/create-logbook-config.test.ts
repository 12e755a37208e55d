import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { container } from 'tsyringe';
import { afterEach, describe, expect, it } from 'vitest';
import { CLOCK, ID_GENERATOR, MemoryArtifactStore, MemoryStore, createLogbook, silentLogger } from '../../src/index.js';
import { ARTIFACT_STORE, ERROR_HANDLER, OPERATIONAL_LOGGER, REGISTRY_STORE, TRACKING_STORE } from '../../src/spi.js';
import type { ErrorHandler, Logbook, LogbookConfigInput, LogbookError } from '../../src/index.js';

const cwd = (): string => mkdtempSync(join(tmpdir(), 'logbook-core-'));
const base = { trackingUri: 'memory:', logging: { drainOnExit: false } } as const;
const open = (config: LogbookConfigInput, env: NodeJS.ProcessEnv = {}) => createLogbook({ ...base, ...config }, { env, cwd: cwd(), logger: silentLogger });
const failure = async (promise: Promise<unknown>): Promise<LogbookError> =>
  (await promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: unknown) => e,
  )) as LogbookError;

describe('createLogbook: config says what it does', () => {
  const opened: Logbook[] = [];
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((l) => l.close()));
  });

  it('authenticationEnabled: refuses to start without credentials, naming the fields and variables', async () => {
    const e = await failure(open({ authenticationEnabled: true }));
    expect(e).toMatchObject({ code: 'INVALID_CONFIGURATION', field: 'credentials' });
    expect(e.message).toMatch(/^\[core\] authenticationEnabled is true but no credentials/);
    expect(e.message).toMatch(/MLFLOW_TRACKING_USERNAME.*MLFLOW_TRACKING_PASSWORD.*MLFLOW_TRACKING_TOKEN/);
    const half = await failure(open({ authenticationEnabled: true }, { MLFLOW_TRACKING_USERNAME: 'ana' }));
    expect(half.message).toMatch(/a username is set, its password is not/);
  });

  it('authenticationEnabled: starts with a username and password (environment) or a token (option)', async () => {
    opened.push(await open({ authenticationEnabled: true }, { MLFLOW_TRACKING_USERNAME: 'ana', MLFLOW_TRACKING_PASSWORD: 's3cret' }));
    opened.push(await open({ authenticationEnabled: true, credentials: { token: 't0ken' } }));
    opened.push(await open({}));
  });

  it('modelRegistryEnabled: false makes every registry call fail with FEATURE_DISABLED naming the option; tracking still works', async () => {
    const logbook = await open({ modelRegistryEnabled: false });
    opened.push(logbook);
    const run = await logbook.tracker.startRun(await logbook.tracker.getOrCreateExperiment('e'));
    for (const call of [
      () => logbook.registry.registerModel('m', `runs:/${run}/model`),
      () => logbook.registry.getModel('m'),
      () => logbook.versioning.getLatestVersion('m'),
      () => logbook.stores.registry.searchRegisteredModels(),
      () => logbook.container.resolve(REGISTRY_STORE).createRegisteredModel({ name: 'm' }),
    ]) {
      const e = await failure(call());
      expect(e).toMatchObject({ code: 'FEATURE_DISABLED', field: 'modelRegistryEnabled', httpStatus: 501 });
      expect(e.message).toMatch(/^\[core\] The model registry is disabled \(modelRegistryEnabled: false/);
    }
    expect((await logbook.tracker.getRun(run)).info.runId).toBe(run);
  });

  it('artifactCompression: refused at start when the artifact store cannot gzip (the memory store), instead of ignored', async () => {
    const e = await failure(open({ artifactCompression: true }));
    expect(e).toMatchObject({ code: 'INVALID_CONFIGURATION', field: 'artifactCompression' });
    expect(e.message).toMatch(/cannot gzip artifacts; the local \(file:\) and S3 stores compress them/);
  });
});

describe('createLogbook: providers from the parent container', () => {
  const opened: Logbook[] = [];
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((l) => l.close()));
  });

  it("uses the parent's stores instead of loading a backend, and leaves them open on close", async () => {
    const parent = container.createChildContainer();
    const store = new MemoryStore();
    const artifacts = new MemoryArtifactStore();
    parent.register(TRACKING_STORE, { useValue: store });
    parent.register(REGISTRY_STORE, { useValue: store });
    parent.register(ARTIFACT_STORE, { useValue: artifacts });
    // No provider serves this URI: with all three stores from the parent, none is needed.
    const logbook = await createLogbook({ trackingUri: 'nobody-serves-this:x', logging: { drainOnExit: false } }, { env: {}, cwd: cwd(), container: parent, logger: silentLogger });
    const run = await logbook.tracker.startRun(await logbook.tracker.getOrCreateExperiment('from-parent'));
    logbook.tracker.logMetric('loss', 0.5, 1, run);
    await logbook.close();
    expect((await store.getMetricHistory(run, 'loss')).items.map((m) => m.value)).toEqual([0.5]);
    expect(logbook.stores.tracking).toBe(store);
    expect(logbook.stores.artifacts).toBe(artifacts);
  });

  it("replaces only the store the parent registers, keeping the backend's others", async () => {
    const parent = container.createChildContainer();
    const artifacts = new MemoryArtifactStore();
    parent.register(ARTIFACT_STORE, { useValue: artifacts });
    const logbook = await createLogbook(base, { env: {}, cwd: cwd(), container: parent, logger: silentLogger });
    opened.push(logbook);
    expect(logbook.stores.artifacts).toBe(artifacts);
    expect(logbook.container.resolve(ARTIFACT_STORE)).toBe(artifacts);
    expect(logbook.stores.tracking).toBeInstanceOf(MemoryStore);
  });

  it("uses the parent's error handler and operational logger when no option is given", async () => {
    const parent = container.createChildContainer();
    const seen: unknown[] = [];
    const onError: ErrorHandler = (error) => {
      seen.push(error);
    };
    parent.register(ERROR_HANDLER, { useValue: onError });
    parent.register(OPERATIONAL_LOGGER, { useValue: silentLogger });
    const logbook = await createLogbook(base, { env: {}, cwd: cwd(), container: parent });
    opened.push(logbook);
    expect(logbook.container.resolve(ERROR_HANDLER)).toBe(onError);
    const run = await logbook.tracker.startRun(await logbook.tracker.getOrCreateExperiment('e'));
    logbook.tracker.logParameters({ lr: 0.1, callback: () => 1 }, run);
    await logbook.flush();
    expect(seen).toEqual([expect.objectContaining({ code: 'INVALID_PARAMETER_VALUE', field: 'params.callback' })]);
  });

  it("uses the parent's CLOCK for run start and end times and for points logged without a timestamp", async () => {
    const parent = container.createChildContainer();
    let now = 1_700_000_000_000;
    parent.register(CLOCK, { useValue: () => now });
    const logbook = await createLogbook(base, { env: {}, cwd: cwd(), container: parent, logger: silentLogger });
    opened.push(logbook);
    const run = await logbook.tracker.startRun(await logbook.tracker.getOrCreateExperiment('clock'));
    now += 5_000;
    logbook.tracker.logMetric('loss', 0.25, 0, run);
    await logbook.flush();
    now += 5_000;
    await logbook.tracker.endRun(run);
    const got = await logbook.tracker.getRun(run);
    expect([got.info.startTime, got.info.endTime]).toEqual([1_700_000_000_000, 1_700_000_010_000]);
    expect((await logbook.stores.tracking.getMetricHistory(run, 'loss')).items[0]!.timestamp).toBe(1_700_000_005_000);
  });

  it("uses the parent's ID_GENERATOR for run ids (handed to the backend) and registers it in its own container", async () => {
    const parent = container.createChildContainer();
    let n = 0;
    const newId = () => `run${String(++n).padStart(4, '0')}`;
    parent.register(ID_GENERATOR, { useValue: newId });
    const logbook = await createLogbook(base, { env: {}, cwd: cwd(), container: parent, logger: silentLogger });
    opened.push(logbook);
    const experiment = await logbook.tracker.getOrCreateExperiment('ids');
    expect([await logbook.tracker.startRun(experiment), await logbook.tracker.startRun(experiment)]).toEqual(['run0001', 'run0002']);
    expect(logbook.container.resolve(ID_GENERATOR)).toBe(newId);
  });

  it('refuses an id the ID_GENERATOR makes up that is no valid run id, or that is already taken, naming the token', async () => {
    for (const [id, code] of [
      ['../../etc', 'INVALID_CONFIGURATION'],
      ['same', 'RESOURCE_ALREADY_EXISTS'],
    ] as const) {
      const parent = container.createChildContainer();
      parent.register(ID_GENERATOR, { useValue: () => id });
      const logbook = await createLogbook(base, { env: {}, cwd: cwd(), container: parent, logger: silentLogger });
      opened.push(logbook);
      const experiment = await logbook.tracker.getOrCreateExperiment('ids');
      if (code === 'RESOURCE_ALREADY_EXISTS') await logbook.tracker.startRun(experiment);
      expect(await failure(logbook.tracker.startRun(experiment))).toMatchObject({ code, field: 'ID_GENERATOR' });
    }
  });

  it('hands a non-string id from a plain-JS ID_GENERATOR back as a typed error', async () => {
    const parent = container.createChildContainer();
    parent.register(ID_GENERATOR, { useValue: (() => 42) as unknown as () => string });
    const logbook = await createLogbook(base, { env: {}, cwd: cwd(), container: parent, logger: silentLogger });
    opened.push(logbook);
    const error = await failure(logbook.tracker.startRun(await logbook.tracker.getOrCreateExperiment('ids')));
    expect(error).toMatchObject({ code: 'INVALID_CONFIGURATION', field: 'ID_GENERATOR' });
    expect(error.message).toContain('returned number');
  });
});
