import { WebhookAlertSink } from '@logbook/core';
import type { Deployment, LiveMetricsReport } from '@logbook/core';
import type { CommandContext } from '../command-context.js';
import { CliError, ExitCode } from '../exit-codes.js';
import { renderLive, renderReport } from '../format/registry.js';
import type { MonitorOptions } from './models-deploy.js';

/** What `models monitor` prints (and its `--json` shape). */
export type MonitorOutcome = { readonly live: Readonly<Record<string, Deployment>> } | { readonly report: LiveMetricsReport };

/**
 * Without metrics: the live deployment per environment (of `options.environment` only when
 * given). With metrics: logs them on the version's deployment and checks them (alerts go to the
 * error handler and to every `--webhook`).
 */
export async function monitor(context: CommandContext, name: string, ref: string | undefined, options: MonitorOptions): Promise<MonitorOutcome> {
  if (Object.keys(options.metric).length === 0) {
    if (options.threshold !== undefined || options.lowerIsBetter.length > 0 || options.webhook.length > 0) {
      throw new CliError('[cli] --threshold, --lower-is-better and --webhook apply to live metrics: add --metric key=value.', ExitCode.USAGE);
    }
    const live = await context.withLogbook((lb) => lb.versioning.getLiveVersions(name));
    const env = options.environment;
    return { live: env === undefined ? live : Object.fromEntries(Object.entries(live).filter(([e]) => e === env)) };
  }
  if (ref === undefined || options.environment === undefined) {
    throw new CliError('[cli] Live metrics need the version and --environment it is deployed in: logbook models monitor <name> <version> --environment <env> --metric key=value.', ExitCode.USAGE);
  }
  const environment = options.environment;
  const report = await context.withLogbook(async (lb) => {
    lb.versioning.configureMonitoring({
      ...(options.threshold === undefined ? {} : { threshold: options.threshold }),
      ...(options.lowerIsBetter.length === 0 ? {} : { lowerIsBetter: options.lowerIsBetter }),
    });
    for (const url of options.webhook) lb.versioning.addAlertSink(new WebhookAlertSink({ url }));
    return lb.versioning.logLiveMetrics(name, ref, environment, options.metric);
  }, 'write');
  return { report };
}

/** Text of a {@link MonitorOutcome}. */
export function renderMonitor(outcome: MonitorOutcome): string {
  return 'live' in outcome ? renderLive(outcome.live) : renderReport(outcome.report);
}
