import { RunStatus } from '../model/enums.js';
import { LIMITS } from '../validation/limits.js';
import { replaceLoneSurrogates, truncateCodePoints } from '../validation/code-points.js';
import type { Tags } from '../model/common.js';
import { readParams } from './param.js';
import { resolveLogbook } from './resolve-logbook.js';
import { currentRunFrame, runInFrame } from './run-context.js';
import { autoLogging, reportTo } from './run-sink.js';
import type { LogbookLike, LogbookSource } from './run-sink.js';

/** The tag a failed tracked call leaves on its run: the error's message. */
export const ERROR_TAG = 'logbook.error';

/** What one `@Track`'ed method runs with, class defaults already applied. @internal */
export interface TrackedCallSpec {
  readonly experiment: string;
  readonly runName?: string;
  readonly tags: Tags;
  readonly logbook?: LogbookSource;
}

/**
 * Runs `body` inside a new run: created in `spec.experiment` (created when missing), child of the
 * run in force if any and in the same logbook, with the instance's `@Param`s logged; ended FINISHED when `body` returns or
 * resolves, FAILED with the {@link ERROR_TAG} tag when it throws or rejects (the error is re-thrown
 * unchanged). Failing to create the run rejects before `body` runs; failures after it started
 * (params, ending the run) go to the logbook's error handler, never to the caller.
 * @internal
 */
export async function runTracked<T>(instance: object, spec: TrackedCallSpec, body: () => T | Promise<T>): Promise<T> {
  const parent = currentRunFrame();
  const logbook = await resolveLogbook(spec.logbook);
  // A run id means nothing in another store: nest only beside the parent (or in a withRun() run,
  // whose logbook is not known).
  const parentRunId = parent !== undefined && (parent.logbook === undefined || parent.logbook === logbook) ? parent.runId : undefined;
  const { tracker } = logbook;
  const experimentId = await tracker.getOrCreateExperiment(spec.experiment);
  const runId = await tracker.startRun(experimentId, spec.runName, parentRunId === undefined ? { tags: spec.tags } : { parentRunId, tags: spec.tags });
  if (autoLogging(logbook)) logParams(logbook, instance, runId);
  let status = RunStatus.FINISHED;
  try {
    return await runInFrame({ runId, logbook }, body);
  } catch (error) {
    status = RunStatus.FAILED;
    safely(logbook, runId, 'decorators.setErrorTag', () => tracker.setTags({ [ERROR_TAG]: errorText(error) }, runId));
    throw error;
  } finally {
    try {
      await tracker.endRun(runId, status);
    } catch (error) {
      reportTo(logbook, error, { operation: 'decorators.endRun', runId });
    }
  }
}

function logParams(logbook: LogbookLike, instance: object, runId: string): void {
  const { params, problems } = readParams(instance);
  for (const problem of problems) reportTo(logbook, problem, { operation: 'decorators.readParams', runId });
  if (Object.keys(params).length > 0) {
    safely(logbook, runId, 'decorators.logParameters', () => logbook.tracker.logParameters(params, runId));
  }
}

function safely(logbook: LogbookLike, runId: string, operation: string, fn: () => void): void {
  try {
    fn();
  } catch (error) {
    reportTo(logbook, error, { operation, runId });
  }
}

/** The error's message as a tag value: at most 8000 characters, and valid Unicode so no store refuses it. */
function errorText(error: unknown): string {
  const text = error instanceof Error ? error.message || error.name : String(error);
  return truncateCodePoints(replaceLoneSurrogates(text), LIMITS.maxTagValueLength);
}
