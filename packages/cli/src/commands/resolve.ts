import type { Experiment, Logbook } from '@logbook/core';
import { InvalidArgumentError } from 'commander';
import { CliError, ExitCode } from '../exit-codes.js';

/** An experiment by name, or by id when no experiment has that name; NOT_FOUND otherwise. */
export async function resolveExperiment(logbook: Logbook, nameOrId: string): Promise<Experiment> {
  // Loaded here, not at the top: this file is imported when the program is built (--version too).
  const { isLogbookError } = await import('@logbook/core');
  const byName = await logbook.tracker.getExperimentByName(nameOrId);
  if (byName !== undefined) return byName;
  if (/^\d+$/.test(nameOrId)) {
    try {
      return await logbook.tracker.getExperiment(nameOrId);
    } catch (error) {
      if (!isLogbookError(error, 'RESOURCE_DOES_NOT_EXIST')) throw error;
    }
  }
  throw new CliError(`[cli] No experiment named or numbered '${nameOrId}'. 'logbook experiments list' shows the experiments.`, ExitCode.NOT_FOUND);
}

/** Commander option parser of a positive integer (a usage error otherwise). */
export function positiveInteger(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < 1) {
    throw new InvalidArgumentError(`expected a positive integer, got '${value}'.`);
  }
  return n;
}

/** Commander option parser that collects a repeatable option's values. */
export function collect(value: string, previous: readonly string[]): string[] {
  return [...previous, value];
}
