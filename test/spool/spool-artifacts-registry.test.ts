// Artifacts and registry calls of a logbook with a spool, without any server (see support/unit-spool.ts).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LogbookError, MODELS_EXPERIMENT, ModelRegistry, ModelVersioning, RunStatus } from '../../packages/core/src/index.js';
import type { MemoryBackend } from '../../packages/core/src/index.js';
import type { ArtifactStore } from '../../packages/core/src/spi.js';
import type { Spool } from '../../packages/core/src/spool/spool.js';
import { memoryServer, unitSpool, until } from './support/unit-spool.js';
import type { ServerState } from './support/unit-spool.js';

let dir: string;
let spool: Spool;
let memory: MemoryBackend;
let state: ServerState;
const errors: unknown[] = [];

async function text(store: ArtifactStore, uri: string, path: string): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of (await store.get(uri, path)).stream) chunks.push(Buffer.from(c as Uint8Array));
  return Buffer.concat(chunks).toString('utf8');
}

const drained = () => until(() => spool.stats().drains > 0 && spool.stats().pendingWrites === 0 && !spool.stats().active);

describe('Spool (artifacts and registry)', () => {
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'logbook-spool-art-'));
    const server = memoryServer();
    memory = server.memory;
    state = server.state;
    errors.length = 0;
    spool = unitSpool(dir, server.backend, errors);
  });

  afterEach(async () => {
    await spool.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps the artifacts of a run started while the server is down in the spool and pushes each once, also ones logged after a drain', async () => {
    state.down = true;
    const experimentId = await spool.tracking.createExperiment({ name: 'survey/art' });
    const run = await spool.tracking.createRun({ experimentId, runName: 'offline' });
    const { artifactUri } = (await spool.tracking.getRun(run.info.runId)).info;
    await spool.artifacts.put(artifactUri, 'model/weights.bin', Buffer.alloc(70_000, 7));
    await spool.artifacts.put(artifactUri, 'notes/🌌.txt', Readable.from([Buffer.from('galaxy ')]));
    expect(await spool.artifacts.list(artifactUri, 'model')).toEqual([{ path: 'model/weights.bin', isDir: false, fileSize: 70_000 }]);
    await spool.tracking.updateRun(run.info.runId, { status: RunStatus.FINISHED, endTime: 10 });

    state.down = false;
    await drained();
    const remote = (await memory.store.searchRuns({ experimentIds: [(await memory.store.getExperimentByName('survey/art'))!.experimentId] })).items;
    expect(remote).toHaveLength(1);
    const remoteUri = remote[0]!.info.artifactUri;
    expect((await memory.artifacts.list(remoteUri, 'model'))[0]).toMatchObject({ fileSize: 70_000 });
    expect(await text(memory.artifacts, remoteUri, 'notes/🌌.txt')).toBe('galaxy ');

    // The run keeps living in the spool for this process: a later artifact is drained as well.
    const drains = spool.stats().drains;
    await spool.artifacts.put(artifactUri, 'late.txt', Buffer.from('late'));
    await until(() => spool.stats().drains > drains && spool.stats().pendingWrites === 0);
    expect(await text(memory.artifacts, remoteUri, 'late.txt')).toBe('late');
    expect((await memory.artifacts.list(remoteUri)).map((f) => f.path)).toEqual(['model', 'notes', 'late.txt']);
    // Streamed to the server once each, across both drains.
    expect(state.puts.sort()).toEqual(['late.txt', 'model/weights.bin', 'notes/🌌.txt']);
  });

  it('writes artifacts of a server run into its shadow while the server is down; they reach that run', async () => {
    const experimentId = await spool.tracking.createExperiment({ name: 'survey/online-art' });
    const run = await spool.tracking.createRun({ experimentId, runName: 'online' });
    const { artifactUri } = (await spool.tracking.getRun(run.info.runId)).info;
    await spool.artifacts.put(artifactUri, 'before.txt', Buffer.from('before'));

    state.down = true;
    // The server fails the upload: bytes are put under the shadow instead.
    await spool.artifacts.put(artifactUri, 'during.txt', Buffer.from('during'));
    expect(spool.stats().active).toBe(true);
    // A one-shot stream: the breaker is open now, so it goes straight to the spool too.
    const shadowUri = (await spool.tracking.getRun(run.info.runId)).info.artifactUri;
    expect(shadowUri).not.toBe(artifactUri);
    await spool.artifacts.put(shadowUri, 'stream.txt', Readable.from([Buffer.from('stream')]));

    state.down = false;
    await drained();
    expect((await memory.artifacts.list(artifactUri)).map((f) => f.path)).toEqual(['before.txt', 'during.txt', 'stream.txt']);
    expect(await text(memory.artifacts, artifactUri, 'stream.txt')).toBe('stream');
  });

  it('fails a stream upload that the server broke half-way with a retryable error; the retry goes to the spool', async () => {
    const experimentId = await spool.tracking.createExperiment({ name: 'survey/stream' });
    const run = await spool.tracking.createRun({ experimentId });
    const { artifactUri } = run.info;
    state.down = true;
    await expect(spool.artifacts.put(artifactUri, 'a.txt', Readable.from([Buffer.from('a')]))).rejects.toMatchObject({
      code: 'TEMPORARILY_UNAVAILABLE',
      message: expect.stringMatching(/cannot be read again/),
    });
    await spool.artifacts.put(artifactUri, 'a.txt', Readable.from([Buffer.from('a')]));
    state.down = false;
    await drained();
    expect(await text(memory.artifacts, artifactUri, 'a.txt')).toBe('a');
  });

  it('fails registry calls at once while the server is down, with a retryable error that also reaches the error handler', async () => {
    await memory.store.createRegisteredModel({ name: 'unet' });
    state.down = true;
    const experimentId = await spool.tracking.createExperiment({ name: 'survey/reg' });
    expect(spool.stats().active).toBe(true);
    const before = state.calls;
    await expect(spool.registry.setRegisteredModelTag('unet', 'k', 'v')).rejects.toMatchObject({ code: 'TEMPORARILY_UNAVAILABLE', message: expect.stringMatching(/not spooled/) });
    await expect(spool.registry.createModelVersion({ name: 'unet', source: 'runs:/x/model' })).rejects.toMatchObject({ code: 'TEMPORARILY_UNAVAILABLE' });
    expect(state.calls - before).toBeLessThanOrEqual(2); // probes only: the registry was not called
    expect(errors.filter((e) => /not spooled/.test((e as Error).message))).toHaveLength(2);
    expect(experimentId).toMatch(/^spool-/);
  });

  it('opens the breaker when the first call to go out is a registry call to an unreachable server', async () => {
    state.down = true;
    await expect(spool.registry.getRegisteredModel('unet')).rejects.toMatchObject({ code: 'TEMPORARILY_UNAVAILABLE', message: expect.stringMatching(/ECONNREFUSED|Could not reach/) });
    expect(spool.stats().active).toBe(true);
  });

  it('passes a registry error of a server that answered (a 500) through unchanged, without opening the breaker', async () => {
    state.answer = new LogbookError('INTERNAL_ERROR', '[test] MLflow answered 500');
    await expect(spool.registry.getRegisteredModel('unet')).rejects.toBe(state.answer);
    expect(spool.stats().active).toBe(false);
    expect(errors).toEqual([]);
  });

  it('registers a version of a run that lives in the spool once the server answers: drained first, run id and source rewritten', async () => {
    state.down = true;
    const experimentId = await spool.tracking.createExperiment({ name: 'survey/reg-local' });
    const run = await spool.tracking.createRun({ experimentId, runName: 'offline' });
    const localId = run.info.runId;
    const { artifactUri } = (await spool.tracking.getRun(localId)).info;
    await spool.artifacts.put(artifactUri, 'model/w.bin', Buffer.from('w'));
    await spool.registry.createRegisteredModel({ name: 'unet-local' }).catch(() => undefined);
    state.down = false;
    await until(() => !spool.stats().active);
    await memory.store.createRegisteredModel({ name: 'unet-local' }).catch(() => undefined);

    const v1 = await spool.registry.createModelVersion({ name: 'unet-local', source: `runs:/${localId}/model`, runId: localId });
    const v2 = await spool.registry.createModelVersion({ name: 'unet-local', source: `${artifactUri}/model` });
    const remoteId = (await spool.status()).mappings.find((m) => m.kind === 'run' && m.localId === localId)!.remoteId;
    expect(remoteId).not.toBe(localId);
    expect(v1).toMatchObject({ runId: remoteId, source: `runs:/${remoteId}/model` });
    const remoteRoot = (await memory.store.getRun(remoteId)).info.artifactUri;
    expect(v2.source).toBe(`${remoteRoot}/model`);
    expect(await text(memory.artifacts, remoteRoot, 'model/w.bin')).toBe('w');
  });

  it('leaves no run holding model bytes when the server goes down between the first registry read and the registration', async () => {
    // The server goes away right after createModelVersion looked for existing versions.
    const registry = new Proxy(spool.registry, {
      get: (target, property) => {
        const value: unknown = Reflect.get(target, property, target);
        if (typeof value !== 'function') return value;
        return async (...args: unknown[]) => {
          const result: unknown = await (value as (...a: unknown[]) => unknown).apply(target, args);
          if (property === 'searchModelVersions') state.down = true;
          return result;
        };
      },
    });
    await memory.store.createRegisteredModel({ name: 'unet-bytes' });
    const versioning = new ModelVersioning(new ModelRegistry(registry), spool.tracking, spool.artifacts, (e) => errors.push(e));
    await expect(versioning.createModelVersion('unet-bytes', Buffer.alloc(50_000, 3), { codeVersion: false })).rejects.toMatchObject({
      code: 'TEMPORARILY_UNAVAILABLE',
      unsent: true,
    });
    expect(errors.filter((e) => /bytes are kept/.test((e as Error).message))).toEqual([]);

    state.down = false;
    await drained();
    const holders = await memory.store.getExperimentByName(MODELS_EXPERIMENT);
    const runs = holders === undefined ? [] : (await memory.store.searchRuns({ experimentIds: [holders.experimentId] })).items;
    expect(runs).toEqual([]);
    expect(state.puts).toEqual([]);
    expect((await memory.store.searchModelVersions({})).items).toEqual([]);
  });

  it('keeps the bytes, and says where, when the registration may have happened (an answer lost)', async () => {
    const lost = new LogbookError('TEMPORARILY_UNAVAILABLE', '[test] answer lost after the request was sent');
    const registry = new Proxy(memory.store, {
      get: (target, property) => {
        const value: unknown = Reflect.get(target, property, target);
        if (property === 'createModelVersion') return async () => Promise.reject(lost);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const versioning = new ModelVersioning(new ModelRegistry(registry), memory.store, memory.artifacts, (e) => errors.push(e));
    await expect(versioning.createModelVersion('unet-lost', Buffer.from('weights'), { codeVersion: false })).rejects.toBe(lost);
    const kept = errors.find((e) => /bytes are kept/.test((e as Error).message)) as LogbookError;
    expect(kept).toMatchObject({ field: 'modelData', cause: lost });
    const holders = (await memory.store.searchRuns({ experimentIds: [(await memory.store.getExperimentByName(MODELS_EXPERIMENT))!.experimentId] })).items;
    expect(holders).toHaveLength(1);
    expect(await text(memory.artifacts, holders[0]!.info.artifactUri, kept.message.match(/(logbook-models\/[^ ]+\/model\.bin)/)![1]!)).toBe('weights');
  });
});
