import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ModelStage, createLogbook, silentLogger, withRegistryAuditContext } from '../../src/index.js';
import { auditedRegistryStore } from '../../src/spi.js';
import type { Logbook, RegistryAuditSink, RegistryChange } from '../../src/index.js';
import { MemoryBackend } from '../support/memory-backend.js';

class CollectingSink implements RegistryAuditSink {
  readonly changes: RegistryChange[] = [];
  failing = false;
  async record(change: RegistryChange): Promise<void> {
    if (this.failing) throw new Error('sink down');
    this.changes.push(change);
  }
}

async function open(sink: RegistryAuditSink, actor?: string): Promise<Logbook> {
  return createLogbook(
    { trackingUri: 'memory:', logging: { drainOnExit: false } },
    {
      env: {},
      cwd: mkdtempSync(join(tmpdir(), 'logbook-audit-')),
      logger: silentLogger,
      registryAudit: { sink, ...(actor === undefined ? {} : { actor }), now: () => Date.UTC(2026, 0, 2, 3, 4, 5) },
    },
  );
}

describe('auditedRegistryStore', () => {
  it('reports each library change once with who, what, when and the state before and after', async () => {
    const sink = new CollectingSink();
    const logbook = await open(sink, 'trainer');
    try {
      await logbook.registry.registerModel('s3://b/m1', 'det', undefined);
      await logbook.registry.transitionModelStage('det', '1', 'Staging');
      await withRegistryAuditContext({ actor: 'alice' }, () => logbook.registry.transitionModelStage('det', '1', 'production'));
      await logbook.registry.setAlias('det', 'champion', '1');
      await logbook.registry.setVersionTag('det', '1', 'k', 'v1');
      await logbook.registry.setVersionTag('det', '1', 'k', 'v2');
      expect(sink.changes.map((c) => [c.action, c.target, c.actor])).toEqual([
        ['model.create', 'model:det', 'trainer'],
        ['model.version.create', 'model:det/1', 'trainer'],
        ['model.version.transition', 'model:det/1', 'trainer'],
        ['model.version.transition', 'model:det/1', 'alice'],
        ['model.alias.set', 'model:det', 'trainer'],
        ['model.version.tag.set', 'model:det/1', 'trainer'],
        ['model.version.tag.set', 'model:det/1', 'trainer'],
      ]);
      expect(sink.changes[3]).toEqual({
        action: 'model.version.transition',
        target: 'model:det/1',
        actor: 'alice',
        source: 'library',
        time: '2026-01-02T03:04:05.000Z',
        before: { stage: ModelStage.Staging },
        after: { stage: ModelStage.Production },
      });
      expect(sink.changes[1]!.after).toEqual({ version: '1', stage: ModelStage.None, source: 's3://b/m1' });
      expect(sink.changes[1]!.before).toBeUndefined();
      expect(sink.changes[4]).toMatchObject({ after: { alias: 'champion', version: '1' } });
      expect(sink.changes[4]!.before).toBeUndefined();
      expect(sink.changes[6]).toMatchObject({ before: { 'tag.k': 'v1' }, after: { 'tag.k': 'v2' } });
      // Reads are not changes.
      await logbook.registry.listModelVersions('det');
      await logbook.registry.getModelVersion('det', 'champion');
      expect(sink.changes).toHaveLength(7);
      await logbook.registry.deleteModelVersion('det', '1');
      expect(sink.changes.at(-1)).toMatchObject({ action: 'model.version.delete', before: { version: '1', stage: ModelStage.Production } });
      expect(sink.changes.at(-1)!.after).toBeUndefined();
    } finally {
      await logbook.close();
    }
  });

  it('records deployments and rollbacks of ModelVersioning with the deployer as actor', async () => {
    const sink = new CollectingSink();
    const logbook = await open(sink);
    try {
      const v = logbook.versioning;
      await v.createModelVersion('m', Buffer.from('one'), { codeVersion: false });
      await v.createModelVersion('m', Buffer.from('two'), { codeVersion: false });
      await logbook.registry.transitionModelStage('m', '2', 'Production');
      const deployed = await v.recordDeployment('m', '2', { environment: 'production', status: 'deployed', by: 'ci', url: 'https://m.example/v2' });
      await withRegistryAuditContext({ actor: 'oncall' }, () => v.rollbackModelVersion('m', '1.0.0'));
      const deploy = sink.changes.find((c) => c.action === 'model.deploy')!;
      expect(deploy).toMatchObject({ actor: 'ci', target: 'model:m/2', after: { environment: 'production', status: 'deployed', deployment: deployed.id, url: 'https://m.example/v2' } });
      const rollback = sink.changes.find((c) => c.action === 'model.rollback')!;
      expect(rollback).toMatchObject({ actor: 'oncall', target: 'model:m/1', before: { replaced: '2', stage: ModelStage.None }, after: { environment: 'production', status: 'deployed' } });
      // The stage moves of the rollback are recorded too, by the same actor.
      const moves = sink.changes.filter((c) => c.action === 'model.version.transition' && c.actor === 'oncall');
      expect(moves.map((c) => [c.target, c.before!.stage, c.after!.stage])).toEqual([
        ['model:m/1', ModelStage.None, ModelStage.Production],
        ['model:m/2', ModelStage.Production, ModelStage.Archived],
      ]);
    } finally {
      await logbook.close();
    }
  });

  it('rejects the call when the sink cannot record (the change stands) and wraps an audited store only once', async () => {
    const sink = new CollectingSink();
    const backend = new MemoryBackend();
    const once = auditedRegistryStore(backend.registry, sink);
    expect(auditedRegistryStore(once, new CollectingSink())).toBe(once);
    sink.failing = true;
    await expect(once.createRegisteredModel({ name: 'x' })).rejects.toThrow('sink down');
    expect((await backend.registry.getRegisteredModel('x')).name).toBe('x');
    sink.failing = false;
    await once.createRegisteredModel({ name: 'y' });
    expect(sink.changes.map((c) => c.target)).toEqual(['model:y']);
  });
});
