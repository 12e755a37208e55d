import { LogbookError } from '@logbook/core';
import { validateArtifactPath } from '@logbook/core/spi';

/** Route prefix of MLflow's artifact proxy. */
export const ARTIFACTS_API = '/api/2.0/mlflow-artifacts';

const invalid = (message: string): never => {
  throw new LogbookError('INVALID_PARAMETER_VALUE', `[mlflow] ${message}`, { field: 'artifactUri' });
};

/**
 * The proxied path of an artifact root: `mlflow-artifacts:/1/<run>/artifacts` (or with a host,
 * `mlflow-artifacts://host:port/…`), or the HTTP form
 * `http(s)://host/…/api/2.0/mlflow-artifacts/artifacts/<path>`. Returns `1/<run>/artifacts`.
 */
export function proxiedRoot(artifactUri: string): string {
  let rest: string;
  if (artifactUri.startsWith('mlflow-artifacts:')) {
    rest = artifactUri.slice('mlflow-artifacts:'.length);
    if (rest.startsWith('//')) rest = rest.slice(2).replace(/^[^/]*/, '');
  } else if (/^https?:\/\//.test(artifactUri)) {
    const marker = `${ARTIFACTS_API}/artifacts`;
    const at = artifactUri.indexOf(marker);
    if (at < 0) invalid(`'${artifactUri}' is not an MLflow artifact proxy URL (…${marker}/…).`);
    rest = artifactUri.slice(at + marker.length);
  } else {
    return invalid(`'${artifactUri}' is not served by the MLflow artifact proxy (mlflow-artifacts: URIs only).`);
  }
  const root = rest.replace(/^\/+|\/+$/g, '');
  return root === '' ? '' : validateArtifactPath(decodeURIComponent(root), 'artifactUri');
}

/** Joins root and a relative path (validated), `/`-separated, no empty segments. */
export function joinPath(root: string, path: string | undefined): { readonly full: string; readonly relative: string } {
  const relative = path === undefined ? '' : validateArtifactPath(path);
  const full = [root, relative].filter((p) => p !== '').join('/');
  return { full, relative };
}

/** URL path of one artifact below `/api/2.0/mlflow-artifacts/artifacts/`, segments encoded. */
export function artifactRoute(kind: 'artifacts' | 'mpu/create' | 'mpu/complete' | 'mpu/abort', fullPath: string): string {
  const encoded = fullPath
    .split('/')
    .filter((s) => s !== '')
    .map(encodeURIComponent)
    .join('/');
  return `${ARTIFACTS_API}/${kind}${encoded === '' ? '' : `/${encoded}`}`;
}
