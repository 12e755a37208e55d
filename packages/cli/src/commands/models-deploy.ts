import type { Command } from 'commander';
import type { CommandContext } from '../command-context.js';
import { deploymentStatus, fraction, metricPair } from './model-options.js';
import type { DEPLOYMENT_STATUSES } from './model-options.js';
import { collect } from './resolve.js';

/** Options of `models monitor`. */
export interface MonitorOptions {
  readonly environment?: string;
  readonly metric: Readonly<Record<string, number>>;
  readonly threshold?: number;
  readonly lowerIsBetter: readonly string[];
  readonly webhook: readonly string[];
}

/** `logbook models deploy | monitor`: deployment events, live metrics and degradation alerts. */
export function registerModelsDeploy(models: Command, context: CommandContext): void {
  models
    .command('deploy')
    .description('record a deployment event of a version in an environment (one run in logbook/deployments)')
    .argument('<name>', 'the registered model')
    .argument('<version>', 'number, latest, stage, semver, semver range or alias')
    .requiredOption('--environment <env>', 'e.g. production, staging, observatory-2')
    .option('--status <status>', 'pending, deployed, failed or retired (default deployed)', deploymentStatus)
    .option('--by <who>', 'who deployed it (default logbook)')
    .option('--url <url>', 'where it serves')
    .action(async (name: string, ref: string, options: { environment: string; status?: (typeof DEPLOYMENT_STATUSES)[number]; by?: string; url?: string }) => {
      const deployment = await context.withLogbook(
        (lb) =>
          lb.versioning.recordDeployment(name, ref, {
            environment: options.environment,
            status: options.status ?? 'deployed',
            by: options.by ?? 'logbook',
            ...(options.url === undefined ? {} : { url: options.url }),
          }),
        'write',
      );
      const { renderDeployment } = await import('../format/registry.js');
      context.print(deployment, renderDeployment);
    });
  models
    .command('monitor')
    .description('without --metric: the live version per environment and its live metrics; with: log live metrics and check them')
    .argument('<name>', 'the registered model')
    .argument('[version]', 'the deployed version the metrics are about (needed with --metric)')
    .option('--environment <env>', 'the environment it is deployed in (needed with --metric)')
    .option('--metric <key=value>', 'a live metric, e.g. recall=0.87 (repeatable)', metricPair, {} as Record<string, number>)
    .option('--threshold <fraction>', 'relative degradation that raises an alert (default 0.1 = 10 % worse)', fraction)
    .option('--lower-is-better <key>', 'a metric where lower is better, e.g. latency (repeatable)', collect, [] as string[])
    .option('--webhook <url>', 'POST an alert as JSON to this URL (repeatable)', collect, [] as string[])
    .action(async (name: string, ref: string | undefined, options: MonitorOptions) => {
      const { monitor, renderMonitor } = await import('./models-monitor-action.js');
      const outcome = await monitor(context, name, ref, options);
      context.print(outcome, renderMonitor);
    });
}
