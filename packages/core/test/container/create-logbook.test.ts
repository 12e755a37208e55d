import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { container } from 'tsyringe';
import { ExperimentTracker, LogbookError, ModelRegistry, ModelVersioning, createLogbook, getDefaultLogbook, setDefaultLogbook, silentLogger } from '../../src/index.js';
import {
  ARTIFACT_STORE,
  BATCHING_LOGGER,
  ERROR_HANDLER,
  LOGBOOK_CONFIG,
  OPERATIONAL_LOGGER,
  REGISTRY_STORE,
  TRACKING_STORE,
  registerBackend,
  registeredBackends,
  unregisterBackend,
} from '../../src/spi.js';
import type { ErrorHandler, Logbook } from '../../src/index.js';
import { loadBackend, projectFolders } from '../../src/container/load-backend.js';
import { MemoryBackend, memoryProvider } from '../support/memory-backend.js';

const emptyDir = (): string => mkdtempSync(join(tmpdir(), 'logbook-core-'));
const base = { trackingUri: 'memory:test', logging: { drainOnExit: false } } as const;

describe('createLogbook', () => {
  const opened: Logbook[] = [];
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((l) => l.close()));
    unregisterBackend('memory-test');
    unregisterBackend('memory-other');
    setDefaultLogbook(undefined);
  });

  it('picks the registered provider that handles the tracking URI and wires its stores', async () => {
    const provider = memoryProvider();
    registerBackend(provider);
    const logbook = await createLogbook(base, { env: {}, cwd: emptyDir() });
    opened.push(logbook);
    const backend = provider.created[0]!;
    expect(logbook.stores).toBe(backend);
    expect(logbook.container.resolve(TRACKING_STORE)).toBe(backend.tracking);
    expect(logbook.container.resolve(REGISTRY_STORE)).toBe(backend.registry);
    expect(logbook.container.resolve(ARTIFACT_STORE)).toBe(backend.artifacts);
    expect(logbook.container.resolve(LOGBOOK_CONFIG)).toBe(logbook.config);
    expect(logbook.config.trackingUri).toBe('memory:test');
  });

  it('resolves the services as singletons of its own child container', async () => {
    registerBackend(memoryProvider());
    const a = await createLogbook(base, { env: {}, cwd: emptyDir() });
    const b = await createLogbook(base, { env: {}, cwd: emptyDir() });
    opened.push(a, b);
    expect(a.tracker).toBeInstanceOf(ExperimentTracker);
    expect(a.registry).toBeInstanceOf(ModelRegistry);
    expect(a.versioning).toBeInstanceOf(ModelVersioning);
    expect(a.container.resolve(ExperimentTracker)).toBe(a.tracker);
    expect(a.tracker).not.toBe(b.tracker);
    expect(a.container.resolve(BATCHING_LOGGER)).not.toBe(b.container.resolve(BATCHING_LOGGER));
    expect(container.isRegistered(TRACKING_STORE, false)).toBe(false);
  });

  it('uses the logger and error handler it is given', async () => {
    registerBackend(memoryProvider());
    const seen: unknown[] = [];
    const onError: ErrorHandler = (e) => seen.push(e);
    const logbook = await createLogbook(base, { env: {}, cwd: emptyDir(), logger: silentLogger, onError });
    opened.push(logbook);
    expect(logbook.container.resolve(ERROR_HANDLER)).toBe(onError);
    expect(logbook.container.resolve(OPERATIONAL_LOGGER)).toBe(silentLogger);
    logbook.tracker.logMetric('bad key!', 1, 0, 'r1');
    expect(seen).toHaveLength(1);
  });

  it('prefers the latest registration when two providers handle the URI', async () => {
    const first = memoryProvider('memory-test');
    const second = memoryProvider('memory-other');
    registerBackend(first);
    registerBackend(second);
    opened.push(await createLogbook(base, { env: {}, cwd: emptyDir() }));
    expect(second.created).toHaveLength(1);
    expect(first.created).toHaveLength(0);
    expect(registeredBackends()).toEqual(expect.arrayContaining(['memory-test', 'memory-other']));
  });

  it('takes the tracking URI from the environment when not given', async () => {
    const provider = memoryProvider();
    registerBackend(provider);
    const logbook = await createLogbook({ logging: { drainOnExit: false } }, { env: { MLFLOW_TRACKING_URI: 'memory:from-env' }, cwd: emptyDir() });
    opened.push(logbook);
    expect(logbook.config.trackingUri).toBe('memory:from-env');
    expect(provider.created).toHaveLength(1);
  });

  it('says which package to install when no backend serves the URI', async () => {
    const absent = async (pkg: string): Promise<never> => {
      throw new Error(`Cannot find package '${pkg}'`);
    };
    const sqlite = loadBackend('./x.db', emptyDir(), absent);
    await expect(sqlite).rejects.toThrow(LogbookError);
    await expect(sqlite).rejects.toThrow(/@logbook\/sqlite could not be loaded: install it \(pnpm add @logbook\/sqlite\)/);
    const mlflow = loadBackend('https://user:hunter2@mlflow.example', emptyDir(), absent);
    await expect(mlflow).rejects.toThrow(/@logbook\/mlflow could not be loaded/);
    await expect(mlflow).rejects.not.toThrow(/hunter2/);
  });

  it('rejects a URI no provider serves, through the project lookup', async () => {
    await expect(createLogbook({ trackingUri: 'ftp://x/y' }, { env: {}, cwd: emptyDir() })).rejects.toMatchObject({ code: 'INVALID_CONFIGURATION', field: 'trackingUri' });
  });

  it('imports the backend package from the project directory when none is registered', async () => {
    const cwd = emptyDir();
    const pkg = join(cwd, 'node_modules', '@logbook', 'sqlite');
    mkdirSync(pkg, { recursive: true });
    writeFileSync(join(cwd, 'package.json'), '{"name":"project","type":"module"}');
    writeFileSync(join(pkg, 'package.json'), '{"name":"@logbook/sqlite","type":"module","exports":"./index.js"}');
    // The fake package exports its provider; its backend comes from the test through globalThis.
    // Its URI scheme is its own, so the real @logbook/sqlite (importable in this workspace) never serves it.
    writeFileSync(
      join(pkg, 'index.js'),
      ["export const sqliteBackend = { name: 'memory-test', handles: (u) => u.startsWith('fakedb:'),", '  create: async () => globalThis.__logbookTestBackend };'].join('\n'),
    );
    const backend = new MemoryBackend();
    (globalThis as Record<string, unknown>)['__logbookTestBackend'] = backend;
    const logbook = await createLogbook({ trackingUri: 'fakedb:runs', logging: { drainOnExit: false } }, { env: {}, cwd });
    opened.push(logbook);
    expect(logbook.stores).toBe(backend);
    expect(registeredBackends()).toContain('memory-test');
  });
});

describe('Logbook', () => {
  afterEach(() => unregisterBackend('memory-test'));

  describe('.close', () => {
    it('drains buffered points, then closes the backend once however often it is called', async () => {
      const provider = memoryProvider();
      registerBackend(provider);
      const logbook = await createLogbook(base, { env: {}, cwd: emptyDir() });
      const backend = provider.created[0]!;
      const exp = await logbook.tracker.createExperiment('e');
      const run = await logbook.tracker.startRun(exp);
      logbook.tracker.logMetric('loss', 1, 0, run);
      await Promise.all([logbook.close(), logbook.close()]);
      await logbook.close();
      expect(backend.tracking.runs.get(run)!.metrics).toHaveLength(1);
      expect(backend.closed).toBe(1);
      expect(logbook.stats()).toMatchObject({ buffered: 0, flushed: 1 });
    });
  });
});

describe('getDefaultLogbook', () => {
  afterEach(() => setDefaultLogbook(undefined));

  it('returns the logbook set with setDefaultLogbook', async () => {
    registerBackend(memoryProvider());
    const logbook = await createLogbook(base, { env: {}, cwd: emptyDir() });
    setDefaultLogbook(logbook);
    await expect(getDefaultLogbook()).resolves.toBe(logbook);
    setDefaultLogbook(undefined);
    await logbook.close();
    unregisterBackend('memory-test');
  });

  it('creates one logbook lazily and shares it between concurrent callers', async () => {
    const provider = memoryProvider();
    // The default tracking URI is ./logbook.db: let the test provider serve it.
    registerBackend({ ...provider, handles: (uri: string) => uri.endsWith('logbook.db') });
    const [a, b] = await Promise.all([getDefaultLogbook(), getDefaultLogbook()]);
    expect(a).toBe(b);
    expect(provider.created).toHaveLength(1);
    await a.close();
    unregisterBackend('memory-test');
  });
});

describe('projectFolders', () => {
  it('looks in cwd first, then in the folder of the entry script', () => {
    expect(projectFolders('/home/u/proj', 'examples/app/dist/main.js')).toEqual(['/home/u/proj', '/home/u/proj/examples/app/dist']);
    expect(projectFolders('/home/u/proj', '/opt/tool/bin/run.js')).toEqual(['/home/u/proj', '/opt/tool/bin']);
    expect(projectFolders('/home/u/proj', undefined)).toEqual(['/home/u/proj']);
  });
});
