import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LogbookError } from '@logbook/core';

/**
 * A fresh project folder for `loadConfig`, with `file` written as its config file (JSON-encoded
 * unless it is a string) when given.
 * @param name the config file's name. @default 'logbook.config.json'
 */
export function configProject(file?: unknown, name = 'logbook.config.json'): string {
  const dir = mkdtempSync(join(tmpdir(), 'logbook-config-'));
  if (file !== undefined) writeFileSync(join(dir, name), typeof file === 'string' ? file : JSON.stringify(file));
  return dir;
}

/** The LogbookError `run` throws; fails when it throws nothing, and rethrows anything else. */
export function configFailure(run: () => unknown): LogbookError {
  try {
    run();
  } catch (error) {
    if (error instanceof LogbookError) return error;
    throw error;
  }
  throw new Error('expected a LogbookError');
}
