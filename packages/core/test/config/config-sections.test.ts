import { configFailure, configProject } from '../../../testkit/src/index.js';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/index.js';
import { badConfig, registerConfigSection, registeredConfigSections, unregisterConfigSection } from '../../src/spi.js';
import type { ConfigSection } from '../../src/spi.js';

/** A section as a third-party backend would register it: defaults, variables, ambient ones and a check. */
const QUEUE: ConfigSection = {
  name: 'queue',
  package: 'logbook-queue',
  fields: { 'queue.url': { kind: 'uri' }, 'queue.depth': { kind: 'integer', min: 1, max: 64 }, 'queue.region': { kind: 'string' } },
  defaults: { depth: 8 },
  env: [{ name: 'QUEUE_DEPTH', key: 'queue.depth' }],
  ambientEnv: [{ name: 'QUEUE_REGION', key: 'queue.region' }],
  finish: (values, sourceOf) => {
    if (values['url'] === undefined && values['depth'] !== 8) badConfig('queue.url', sourceOf('queue.depth'), 'is required when queue.depth is set.');
    return values;
  },
};
const TOKEN: ConfigSection = { name: 'queueToken', package: 'logbook-queue', fields: { queueToken: { kind: 'string', secret: true } }, env: [{ name: 'QUEUE_TOKEN', key: 'queueToken' }] };

describe('registerConfigSection', () => {
  afterEach(() => {
    unregisterConfigSection('queue');
    unregisterConfigSection('queueToken');
  });

  it('adds a section with its defaults, and a single setting absent until set', () => {
    registerConfigSection(QUEUE);
    registerConfigSection(TOKEN);
    const config = loadConfig({}, {}, configProject()) as unknown as Record<string, unknown>;
    expect(config['queue']).toEqual({ depth: 8 });
    expect(Object.isFrozen(config['queue'])).toBe(true);
    expect(config).not.toHaveProperty('queueToken');
    expect(registeredConfigSections().map((s) => s.name)).toEqual(expect.arrayContaining(['queue', 'queueToken']));
  });

  it('applies the one precedence to it: explicit > environment > profile > file > defaults', () => {
    registerConfigSection(QUEUE);
    registerConfigSection(TOKEN);
    const dir = configProject({ queue: { url: 'https://q.example', depth: 2 }, queueToken: 'file', profiles: { staging: { queue: { depth: 3 } } } });
    const read = (input: object, env: NodeJS.ProcessEnv) => loadConfig(input, env, dir) as unknown as { queue: Record<string, unknown>; queueToken: string };
    expect(read({}, {}).queue).toEqual({ url: 'https://q.example', depth: 2 });
    expect(read({}, { LOGBOOK_ENV: 'staging' }).queue['depth']).toBe(3);
    expect(read({}, { LOGBOOK_ENV: 'staging', QUEUE_DEPTH: '4' }).queue['depth']).toBe(4);
    expect(read({ queue: { depth: 5 } }, { QUEUE_DEPTH: '4' }).queue['depth']).toBe(5);
    expect(read({}, { QUEUE_TOKEN: 'env' }).queueToken).toBe('env');
  });

  it('lets ambient variables only complete a section another layer started', () => {
    registerConfigSection({ ...QUEUE, defaults: undefined } as ConfigSection);
    expect(loadConfig({}, { QUEUE_REGION: 'eu' }, configProject())).not.toHaveProperty('queue');
    const config = loadConfig({}, { QUEUE_REGION: 'eu', QUEUE_DEPTH: '8' }, configProject()) as unknown as { queue: unknown };
    expect(config.queue).toEqual({ depth: 8, region: 'eu' });
  });

  it('checks its values by its rules and its finish, naming the key and the source', () => {
    registerConfigSection(QUEUE);
    registerConfigSection(TOKEN);
    const range = configFailure(() => loadConfig({}, { QUEUE_DEPTH: '65' }, configProject()));
    expect(range.field).toBe('queue.depth');
    expect(range.message).toMatch(/queue\.depth \(from environment variable QUEUE_DEPTH\) must be an integer from 1 to 64/);
    const finish = configFailure(() => loadConfig({ queue: { depth: 3 } } as never, {}, configProject()));
    expect(finish.message).toBe('[core] Invalid configuration: queue.url (from explicit options) is required when queue.depth is set.');
    expect(configFailure(() => loadConfig({ queue: { size: 1 } } as never, {}, configProject())).message).toMatch(/queue\.size .* is not a known Logbook setting/);
    const secret = configFailure(() => loadConfig({ queueToken: 7 } as never, {}, configProject()));
    expect(secret.message).not.toContain('7');
  });

  it('is forgotten when unregistered: its keys are unknown again', () => {
    registerConfigSection(QUEUE);
    expect(unregisterConfigSection('queue')).toBe(true);
    expect(unregisterConfigSection('queue')).toBe(false);
    expect(configFailure(() => loadConfig({ queue: { depth: 3 } } as never, {}, configProject())).message).toMatch(/queue .* is not a known Logbook setting/);
  });
});
