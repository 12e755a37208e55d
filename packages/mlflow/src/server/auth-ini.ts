import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { LogbookError } from '@logbook/core';
import type { AuthConfig } from './types.js';

const invalid = (field: string, message: string): never => {
  throw new LogbookError('INVALID_CONFIGURATION', `[mlflow] ${message}`, { field });
};

/** Checks an {@link AuthConfig}; messages name the field, never the secret. */
export function validateAuthConfig(auth: AuthConfig): void {
  if (!/^[^\s:]+$/.test(auth.adminUsername)) invalid('adminUsername', 'adminUsername must be non-empty, without spaces or colons.');
  if (auth.adminPassword.length < 12) invalid('adminPassword', 'adminPassword must be at least 12 characters long (MLflow rule).');
  if (auth.secretKey.length < 16) invalid('secretKey', 'secretKey (MLFLOW_FLASK_SERVER_SECRET_KEY) must be at least 16 characters long.');
  for (const [field, value] of Object.entries(auth)) {
    if (typeof value === 'string' && /[\r\n]/.test(value)) invalid(field, `${field} must not contain line breaks.`);
  }
}

/** ConfigParser's default interpolation reads `%` specially: double it. */
const iniValue = (value: string): string => value.replace(/%/g, '%%');

/**
 * Writes the basic-auth app's ini file (section `[mlflow]`) into `dir`, readable by the owner
 * only, and returns its path (give it to the server as `MLFLOW_AUTH_CONFIG_PATH`).
 */
export function writeAuthIni(dir: string, auth: AuthConfig): string {
  validateAuthConfig(auth);
  const path = join(dir, 'basic_auth.ini');
  const databaseUri = auth.databaseUri ?? `sqlite:///${resolve(dir, 'basic_auth.db')}`;
  const lines = [
    '[mlflow]',
    `default_permission = ${auth.defaultPermission ?? 'READ'}`,
    `database_uri = ${iniValue(databaseUri)}`,
    `admin_username = ${iniValue(auth.adminUsername)}`,
    `admin_password = ${iniValue(auth.adminPassword)}`,
    'authorization_function = mlflow.server.auth:authenticate_request_basic_auth',
    'grant_default_workspace_access = false',
    '',
  ];
  writeFileSync(path, lines.join('\n'), { mode: 0o600 });
  return path;
}
