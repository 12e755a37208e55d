import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { REDACTED, createPinoLogger, redactSecrets, silentLogger } from '../../src/index.js';

function capture() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  return { lines, stream };
}

describe('createPinoLogger', () => {
  it('writes JSON lines at or above its level', () => {
    const { lines, stream } = capture();
    const logger = createPinoLogger('warn', stream);
    logger.info({ a: 1 }, 'hidden');
    logger.warn({ runId: 'r1', points: 3 }, 'shown');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ msg: 'shown', runId: 'r1', points: 3, name: 'logbook' });
  });

  it('redacts secret-looking keys at any depth, in child bindings too', () => {
    const { lines, stream } = capture();
    const logger = createPinoLogger('debug', stream).child({ apiKey: 'k-123', backend: 'mlflow' });
    logger.error({ credentials: { username: 'ana', password: 'pw' }, headers: { Authorization: 'Bearer t' }, nested: [{ secretAccessKey: 's' }], token: 'x' }, 'oops');
    const line = JSON.stringify(lines[0]);
    for (const secret of ['k-123', 'pw', 'Bearer t', '"s"', '"x"']) expect(line).not.toContain(secret);
    expect(lines[0]).toMatchObject({ backend: 'mlflow', apiKey: REDACTED, credentials: REDACTED, headers: { Authorization: REDACTED }, token: REDACTED });
  });

  it('is the silent logger at level silent', () => {
    expect(createPinoLogger('silent')).toBe(silentLogger);
    expect(silentLogger.child({})).toBe(silentLogger);
  });
});

describe('redactSecrets', () => {
  it('keeps error messages and cuts cycles', () => {
    const loop: Record<string, unknown> = { name: 'x' };
    loop['self'] = loop;
    expect(redactSecrets({ err: new Error('boom'), loop })).toMatchObject({ err: { type: 'Error', message: 'boom' }, loop: { name: 'x', self: '[Circular]' } });
  });
});
