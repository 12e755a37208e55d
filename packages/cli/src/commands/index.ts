import type { Command } from 'commander';
import type { CommandContext } from '../command-context.js';
import { registerBundleCommands } from './bundle.js';
import { registerExperimentCommands } from './experiments.js';
import { registerMetricCommands } from './metrics.js';
import { registerMlflowServerCommands } from './mlflow-server.js';
import { registerModelCommands } from './models.js';
import { registerReportCommands } from './report.js';
import { registerRunCommands } from './runs.js';
import { registerServeCommands } from './serve.js';
import { registerSyncCommands } from './sync.js';

/** Adds one command (or command group) to the program. */
export type RegisterCommand = (program: Command, context: CommandContext) => void;

/**
 * Every command of `logbook`, in help order. A new command is one file in this folder exporting a
 * {@link RegisterCommand}, plus one line here (`serve`, `sync`, `report` are
 * planned that way).
 */
export const COMMANDS: readonly RegisterCommand[] = [
  registerExperimentCommands,
  registerRunCommands,
  registerMetricCommands,
  registerModelCommands,
  registerMlflowServerCommands,
  registerServeCommands,
  registerSyncCommands,
  registerBundleCommands,
  registerReportCommands,
];
