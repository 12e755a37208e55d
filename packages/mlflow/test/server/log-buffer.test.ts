import { describe, expect, it } from 'vitest';
import { LogBuffer } from '../../src/server/log-buffer.js';

describe('LogBuffer', () => {
  it('keeps the last N lines, joining chunks split mid-line', () => {
    const log = new LogBuffer(2);
    log.write('one\ntw');
    log.write('o\nthree\n');
    expect(log.lines()).toEqual(['two', 'three']);
  });

  it('redacts registered secrets and URL credentials, also in lines stored before', () => {
    const log = new LogBuffer(10);
    log.write('admin password is topsecret-123\n');
    log.addSecret('topsecret-123');
    log.write('db postgresql://me:pw1@host/db and topsecret-123 again\n');
    expect(log.lines().join('\n')).not.toMatch(/topsecret-123|pw1@/);
    expect(log.lines()[1]).toBe('db postgresql://me:***@host/db and *** again');
  });
});
