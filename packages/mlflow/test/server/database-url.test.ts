import { describe, expect, it } from 'vitest';
import { isLogbookError } from '@logbook/core';
import { parseDatabaseUrl } from '../../src/server/database-url.js';

describe('parseDatabaseUrl', () => {
  it('makes the psycopg2 / pymysql drivers explicit and keeps explicit ones', () => {
    expect(parseDatabaseUrl('postgresql://u@h:5432/db').uri).toBe('postgresql+psycopg2://u@h:5432/db');
    expect(parseDatabaseUrl('postgres://u@h/db').uri).toBe('postgresql+psycopg2://u@h/db');
    expect(parseDatabaseUrl('postgresql+pg8000://u@h/db').uri).toBe('postgresql+pg8000://u@h/db');
    expect(parseDatabaseUrl('mysql://u@h/db')).toMatchObject({ uri: 'mysql+pymysql://u@h/db', dialect: 'mysql' });
    expect(parseDatabaseUrl('sqlite:////tmp/x.db')).toMatchObject({ uri: 'sqlite:////tmp/x.db', dialect: 'sqlite' });
  });

  it('returns the password for redaction', () => {
    expect(parseDatabaseUrl('postgresql://u:s3cr%40t@h/db').secret).toBe('s3cr@t');
  });

  it('rejects other schemes and incomplete URLs with INVALID_CONFIGURATION, never echoing the password', () => {
    for (const bad of ['mssql://u@h/db', 'postgresql://u:hunter22@h', 'sqlite:/x.db', 'nonsense']) {
      let error: unknown;
      try {
        parseDatabaseUrl(bad);
      } catch (e) {
        error = e;
      }
      expect(isLogbookError(error, 'INVALID_CONFIGURATION'), bad).toBe(true);
      expect((error as Error).message).not.toContain('hunter22');
    }
  });
});
