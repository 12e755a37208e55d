import '@logbook/sqlite';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ModelStage, RunStatus, createLogbook } from '@logbook/core';
import { run } from '../src/index.js';

/** What the fixture database holds. */
export interface Fixture {
  readonly dir: string;
  readonly dbPath: string;
  readonly experimentId: string;
  readonly parentRunId: string;
  /** Children of the parent, lr 0.01 then lr 0.1. */
  readonly childRunIds: readonly [string, string];
  /** Points of `loss` logged to the first child, in step order. */
  readonly lossHistory: readonly number[];
  readonly cleanup: () => Promise<void>;
}

/**
 * A real SQLite file written through the real store: experiments `vision/unet`, `vision/resnet`
 * and `tabular`; in `vision/unet` a parent run with two children (params, a loss history, tags);
 * model `unet` with version 1 (Archived) and version 2 (Staging, semver 1.1.0).
 */
export async function createFixture(): Promise<Fixture> {
  const dir = await mkdtemp(join(tmpdir(), 'logbook-cli-'));
  const dbPath = join(dir, 'logbook.db');
  const lb = await createLogbook({ trackingUri: dbPath });
  try {
    const experimentId = await lb.tracker.createExperiment('vision/unet', 'U-Net runs');
    await lb.tracker.createExperiment('vision/resnet');
    await lb.tracker.createExperiment('tabular');
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
    await lb.versioning.createVersion('unet', `runs:/${childRunIds[0]}/model`, { runId: childRunIds[0]!, semver: '1.0.0' });
    const v2 = await lb.versioning.createVersion('unet', `runs:/${childRunIds[1]}/model`, { runId: childRunIds[1]!, semver: '1.1.0', parentVersion: '1' });
    await lb.versioning.promote('unet', '1', ModelStage.Staging);
    await lb.versioning.promote('unet', v2.version, ModelStage.Staging);
    return {
      dir,
      dbPath,
      experimentId,
      parentRunId,
      childRunIds: childRunIds as [string, string],
      lossHistory,
      cleanup: () => rm(dir, { recursive: true, force: true }),
    };
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

/** Runs `logbook <args>` in-process against `dbPath` (through --tracking-uri unless `env` says otherwise). */
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
