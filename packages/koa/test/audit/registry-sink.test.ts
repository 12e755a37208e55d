import { afterEach, describe, expect, it } from 'vitest';
import { ModelRegistry, ModelStage, withRegistryAuditContext } from '@logbook/core';
import { auditedRegistryStore } from '@logbook/core/spi';
import { LocalArtifactStore, SqliteStore } from '@logbook/sqlite';
import { AuditLog, AuditLogRegistrySink, JsonlAuditSink, apiKeyAuth, createLogbookRouter, generateApiKey, hashApiKey, verifyAuditLog } from '../../src/index.js';
import type { AuditEntry } from '../../src/index.js';
import { KEY, tempFile } from './support.js';
import { closeRouters, listenRouter } from '../listen.js';

afterEach(closeRouters);

async function entriesOf(path: string): Promise<AuditEntry[]> {
  const all: AuditEntry[] = [];
  for await (const e of new JsonlAuditSink({ path }).entries()) all.push(e);
  return all;
}

describe('AuditLogRegistrySink', () => {
  it('puts a library change and a REST change in one keyed chain that verifies, each with who, what, when, before and after', async () => {
    const store = new SqliteStore({ path: ':memory:' });
    const path = tempFile();
    const log = await AuditLog.open(new JsonlAuditSink({ path }), { key: KEY });
    try {
      // Library: the ModelRegistry over the audited store.
      const registry = new ModelRegistry(auditedRegistryStore(store, new AuditLogRegistrySink(log), { actor: 'trainer' }));
      await registry.registerModel('s3://bucket/det/1', 'det 🔭');
      await withRegistryAuditContext({ actor: 'alice' }, () => registry.transitionModelStage('det 🔭', '1', 'Staging'));

      // REST: the router over the same store and log, called with an API key.
      const key = generateApiKey('deployer');
      const router = createLogbookRouter({
        stores: { tracking: store, registry: store, artifacts: new LocalArtifactStore() },
        auth: { authenticators: [apiKeyAuth({ keys: [{ id: 'deployer', hash: await hashApiKey(key, 'sha256'), role: 'admin' }] })] },
        audit: log,
        onServerError: () => undefined,
      });
      const base = await listenRouter(router);
      const res = await fetch(`${base}/models/${encodeURIComponent('det 🔭')}/versions/1/transition`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': key },
        body: JSON.stringify({ stage: 'Production' }),
      });
      expect(res.status).toBe(200);
      const requestId = res.headers.get('x-request-id');
      await log.close();

      const entries = await entriesOf(path);
      const changes = entries.filter((e) => e.action.startsWith('model.') && e.detail?.source !== undefined);
      expect(changes.map((e) => [e.action, e.target, e.actor, e.detail!.source])).toEqual([
        ['model.create', 'model:det 🔭', 'trainer', 'library'],
        ['model.version.create', 'model:det 🔭/1', 'trainer', 'library'],
        ['model.version.transition', 'model:det 🔭/1', 'alice', 'library'],
        ['model.version.transition', 'model:det 🔭/1', 'key:deployer', 'rest'],
      ]);
      const rest = changes[3]!;
      expect(rest.before).toEqual({ stage: ModelStage.Staging });
      expect(rest.after).toEqual({ stage: ModelStage.Production });
      expect(Number.isNaN(Date.parse(rest.time))).toBe(false);
      // The REST change sits between its request's intent and outcome entries, under one request id.
      const ofRequest = entries.filter((e) => e.requestId === rest.requestId);
      expect(ofRequest.map((e) => e.outcome)).toEqual(['intent', 'success', 'success']);
      expect(rest.requestId).toBe(requestId);

      const verified = await verifyAuditLog(new JsonlAuditSink({ path }), { key: KEY });
      expect(verified).toMatchObject({ ok: true, keyed: true, entries: entries.length });

      // Altering the before/after of a registry entry breaks the chain.
      const { readFileSync, writeFileSync } = await import('node:fs');
      writeFileSync(path, readFileSync(path, 'utf8').replace('"stage":"Staging"', '"stage":"Archived"'));
      expect((await verifyAuditLog(new JsonlAuditSink({ path }), { key: KEY })).ok).toBe(false);
    } finally {
      await store.close();
    }
  });
});
