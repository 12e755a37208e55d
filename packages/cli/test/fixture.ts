import '@logbook/sqlite';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ModelStage, RunStatus, createLogbook } from '@logbook/core';
import type { Logbook } from '@logbook/core';
import { run } from '../src/index.js';

/** What {@link populate} logged. */
export interface Populated {
  /** `<prefix>vision/unet`. */
  readonly experimentName: string;
  readonly experimentId: string;
  readonly parentRunId: string;
  /** Children of the parent, lr 0.01 then lr 0.1. */
  readonly childRunIds: readonly [string, string];
  /** Points of `loss` logged to the first child, in step order (the second child's are +1). */
  readonly lossHistory: readonly number[];
  /** `<prefix>unet`. */
  readonly modelName: string;
}

/** A SQLite fixture: the file, what it holds, and how to remove it. */
export interface Fixture extends Populated {
  readonly dir: string;
  readonly dbPath: string;
  readonly cleanup: () => Promise<void>;
}

/**
 * Logs through the real services: experiments `vision/unet`, `vision/resnet` and `tabular`
 * (names prefixed with `prefix`); in `vision/unet` a parent run with two children (params, a loss
 * history, tags); model `unet` with version 1 (Archived, semver 1.0.0) and version 2 (Staging,
 * semver 1.1.0).
 */
export async function populate(lb: Logbook, prefix = ''): Promise<Populated> {
  const experimentName = `${prefix}vision/unet`;
  const modelName = `${prefix}unet`;
  const experimentId = await lb.tracker.createExperiment(experimentName, 'U-Net runs');
  await lb.tracker.createExperiment(`${prefix}vision/resnet`);
  await lb.tracker.createExperiment(`${prefix}tabular`);
  const parentRunId = await lb.tracker.startRun(experimentId, 'sweep');
  lb.tracker.logParameters({ dataset: 'stars-v1' }, parentRunId);
  const lossHistory = [0.9, 0.5, 0.25];
  const childRunIds: string[] = [];
  for (const [i, lr] of [0.01, 0.1].entries()) {
    const child = await lb.tracker.startRun(experimentId, `lr-${lr}`, { parentRunId, tags: { team: 'vision' } });
    lb.tracker.logParameters({ lr, epochs: 3 }, child);
    lossHistory.forEach((loss, step) => lb.tracker.logMetric('loss', loss + i, step, child, 1_700_000_000_000 + step));
    lb.tracker.logMetric('accuracy', 0.8, 2, child);
    await lb.tracker.endRun(child);
    childRunIds.push(child);
  }
  await lb.tracker.endRun(parentRunId, RunStatus.FINISHED);
  await lb.versioning.createVersion(modelName, `runs:/${childRunIds[0]}/model`, { runId: childRunIds[0]!, semver: '1.0.0' });
  const v2 = await lb.versioning.createVersion(modelName, `runs:/${childRunIds[1]}/model`, { runId: childRunIds[1]!, semver: '1.1.0', parentVersion: '1' });
  await lb.versioning.promote(modelName, '1', ModelStage.Staging);
  await lb.versioning.promote(modelName, v2.version, ModelStage.Staging);
  return { experimentName, experimentId, parentRunId, childRunIds: childRunIds as [string, string], lossHistory, modelName };
}

/** A fresh SQLite file in a temp folder, {@link populate}d through the real SQLite store. */
export async function createFixture(): Promise<Fixture> {
  const dir = await mkdtemp(join(tmpdir(), 'logbook-cli-'));
  const dbPath = join(dir, 'logbook.db');
  const lb = await createLogbook({ trackingUri: dbPath });
  try {
    return { ...(await populate(lb)), dir, dbPath, cleanup: () => rm(dir, { recursive: true, force: true }) };
  } finally {
    await lb.close();
  }
}

/** The outcome of one in-process `logbook` invocation. */
export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `logbook <args>` in-process; `dbPath` (any tracking URI) is passed as --tracking-uri. */
export async function cli(args: readonly string[], options: { dbPath?: string; env?: NodeJS.ProcessEnv; cwd?: string } = {}): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const uri = options.dbPath === undefined ? [] : ['--tracking-uri', options.dbPath];
  const code = await run([...uri, ...args], {
    stdout: (s) => (stdout += s),
    stderr: (s) => (stderr += s),
    env: options.env ?? {},
    ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
  });
  return { code, stdout, stderr };
}

/** A local webhook endpoint that keeps every JSON document POSTed to it (alerts). */
export interface AlertReceiver {
  readonly url: string;
  readonly received: unknown[];
  close(): void;
}

/** Starts an {@link AlertReceiver} on 127.0.0.1 (a free port). */
export async function startAlertReceiver(): Promise<AlertReceiver> {
  const received: unknown[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => {
      body += c.toString();
    });
    req.on('end', () => {
      received.push(JSON.parse(body));
      res.end();
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/alerts`, received, close: () => server.close() };
}
