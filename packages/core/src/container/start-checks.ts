import type { LogbookConfig } from '../config/types.js';
import type { ArtifactStore } from '../contracts/artifact-store.js';
import { LogbookError } from '../errors.js';

const SCHEME = /^([a-zA-Z][a-zA-Z0-9+.-]*):/;

/**
 * `authenticationEnabled` on the client side: the tracking server requires credentials, so a
 * logbook without any refuses to start rather than fail at its first request (or, with a spool,
 * spool every write for a server that will never accept them).
 * @throws LogbookError INVALID_CONFIGURATION naming the fields and environment variables to set.
 */
export function checkCredentials(config: LogbookConfig): void {
  if (!config.authenticationEnabled) return;
  const { username, password, token } = config.credentials;
  if (nonEmpty(token) || (nonEmpty(username) && nonEmpty(password))) return;
  const half = nonEmpty(username) ? ' (a username is set, its password is not)' : nonEmpty(password) ? ' (a password is set, its username is not)' : '';
  throw new LogbookError(
    'INVALID_CONFIGURATION',
    `[core] authenticationEnabled is true but no credentials are configured${half}: set credentials.username and credentials.password ` +
      '(MLFLOW_TRACKING_USERNAME and MLFLOW_TRACKING_PASSWORD, or LOGBOOK_TRACKING_USERNAME/_PASSWORD) or credentials.token ' +
      '(MLFLOW_TRACKING_TOKEN or LOGBOOK_TRACKING_TOKEN), or turn authenticationEnabled off.',
    { field: 'credentials' },
  );
}

/**
 * `artifactCompression` is honoured or refused, never ignored: the store that new experiments'
 * artifacts go to (the one serving `artifactRoot`'s scheme, else the backend's own) must gzip them
 * (the local `file:` store and the S3 store do: {@link ArtifactStore.compresses}). The MLflow-proxied
 * store (`mlflow-artifacts:`) does not and will not: MLflow stores the bytes it is given with no
 * mark of their encoding, so its UI and Python client would show gzip bytes as the artifact.
 *
 * @param stores the extra stores first, the backend's own last (as they are routed).
 * @throws LogbookError INVALID_CONFIGURATION naming the option and the stores that can do it.
 */
export function checkArtifactCompression(config: LogbookConfig, stores: readonly ArtifactStore[]): void {
  if (!config.artifactCompression) return;
  const target = writeTarget(config.artifactRoot, stores);
  if (target?.compresses === true) return;
  const schemes = target === undefined ? 'none' : target.schemes.map((s) => `${s}:`).join(', ');
  throw new LogbookError(
    'INVALID_CONFIGURATION',
    `[core] artifactCompression is true but the artifact store new experiments write to (${schemes}) cannot gzip artifacts; ` +
      "the local (file:) and S3 stores compress them; the MLflow-proxied store does not, since MLflow's UI and Python client would show the gzip bytes. " +
      'Use a file: artifactRoot or an s3 config section, or turn artifactCompression off (LOGBOOK_ARTIFACT_COMPRESSION).',
    { field: 'artifactCompression' },
  );
}

function writeTarget(artifactRoot: string | undefined, stores: readonly ArtifactStore[]): ArtifactStore | undefined {
  if (artifactRoot === undefined) return stores.at(-1);
  const scheme = (SCHEME.exec(artifactRoot)?.[1] ?? 'file').toLowerCase();
  return stores.find((s) => s.schemes.includes(scheme));
}

function nonEmpty(value: string | undefined): boolean {
  return value !== undefined && value !== '';
}
