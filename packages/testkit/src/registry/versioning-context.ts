import { createServer } from 'node:http';
import type { IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ModelRegistry, ModelVersioning } from '@logbook/core';
import type { ArtifactStore, RegistryStore, TrackingStore } from '@logbook/core/spi';
import { uniqueName } from '../support.js';

/** What versioning tests need: the three stores of one backend. */
export interface VersioningContext {
  readonly registry: () => RegistryStore;
  readonly tracking: () => TrackingStore;
  readonly artifacts: () => ArtifactStore;
}

/** Core's services over the fixture's stores, and what their error handler received. */
export interface VersioningServices {
  readonly registry: ModelRegistry;
  readonly versioning: ModelVersioning;
  readonly errors: { readonly error: unknown; readonly operation: string }[];
}

/** Builds `ModelRegistry` and `ModelVersioning` as `createLogbook` wires them. */
export function services(ctx: VersioningContext): VersioningServices {
  const errors: { error: unknown; operation: string }[] = [];
  const registry = new ModelRegistry(ctx.registry());
  const versioning = new ModelVersioning(registry, ctx.tracking(), ctx.artifacts(), (error, context) => {
    errors.push({ error, operation: context.operation });
  });
  return { registry, versioning, errors };
}

/** A run of a fresh experiment with the given metrics and params (a version's source run). */
export async function sourceRun(tracking: TrackingStore, metrics: Readonly<Record<string, number>>, params: Readonly<Record<string, string>> = {}): Promise<string> {
  const experimentId = await tracking.createExperiment({ name: uniqueName('mv-src') });
  const run = await tracking.createRun({ experimentId, startTime: Date.now() });
  await tracking.logBatch(run.info.runId, {
    metrics: Object.entries(metrics).map(([key, value]) => ({ key, value, timestamp: Date.now(), step: 0 })),
    params: Object.entries(params).map(([key, value]) => ({ key, value })),
  });
  return run.info.runId;
}

/** A webhook receiver on 127.0.0.1 (port picked by the OS) that keeps every JSON body posted to it. */
export async function webhookReceiver(): Promise<{ url: string; received: unknown[]; close: () => Promise<void> }> {
  const received: unknown[] = [];
  const server: Server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ method: req.method, contentType: req.headers['content-type'], body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/alerts`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
