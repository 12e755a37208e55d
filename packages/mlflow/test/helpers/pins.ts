import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The repository root (tests run from anywhere). */
export const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));

/** The MLflow version pinned in scripts/python-requirements.txt (the one place it is pinned). */
export function pinnedMlflowVersion(): string {
  const text = readFileSync(`${repoRoot}scripts/python-requirements.txt`, 'utf8');
  const match = /^mlflow(?:\[[^\]]*\])?==(\S+)$/m.exec(text);
  if (match === null) throw new Error('no mlflow pin in scripts/python-requirements.txt');
  return match[1]!;
}
