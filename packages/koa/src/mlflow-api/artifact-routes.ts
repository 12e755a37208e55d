import type { Context } from 'koa';
import { LogbookError } from '@logbook/core';
import { validateArtifactPath } from '@logbook/core/spi';
import type { FileInfo } from '@logbook/core';
import type { MlflowApiDeps, MlflowRoute } from './route.js';
import { optStr, paramsOf, reqStr } from './request.js';

// The artifact proxy (`/api/2.0/mlflow-artifacts/artifacts/...`): what `mlflow server
// --serve-artifacts` answers, over the served root of the Logbook artifact store.

/** A file entry as MLflow writes it: `file_size` omitted for folders and empty files (proto3). */
function wireFile(info: FileInfo, path: string): Record<string, unknown> {
  return { path, is_dir: info.isDir, ...(!info.isDir && info.fileSize !== undefined && info.fileSize > 0 && { file_size: info.fileSize }) };
}

const basename = (path: string): string => path.slice(path.lastIndexOf('/') + 1);

/** The proxied path of a request (`artifacts/<path>`), checked after decoding. */
function proxiedPath(ctx: Context): string {
  const raw = (ctx.params as Record<string, string | string[] | undefined>).path;
  const joined = Array.isArray(raw) ? raw.join('/') : (raw ?? '');
  if (joined === '') throw new LogbookError('INVALID_PARAMETER_VALUE', '[koa] An artifact path is required.', { field: 'path' });
  return validateArtifactPath(joined, 'path');
}

/** Streams a request body into the artifact store (never buffered whole). */
export async function uploadArtifact(ctx: Context, { artifacts, locations }: MlflowApiDeps): Promise<void> {
  const path = proxiedPath(ctx);
  const length = Number(ctx.get('content-length'));
  await artifacts.put(locations.rootUri, path, ctx.req, Number.isSafeInteger(length) && ctx.get('content-length') !== '' ? { size: length } : {});
  ctx.body = {};
}

/** Streams one proxied file to the client, always as an attachment. */
export async function downloadArtifact(ctx: Context, { artifacts, locations }: MlflowApiDeps): Promise<void> {
  const path = proxiedPath(ctx);
  const download = await artifacts.get(locations.rootUri, path);
  ctx.set('X-Content-Type-Options', 'nosniff');
  ctx.set('Content-Disposition', `attachment; filename*=UTF-8''${encodeURIComponent(basename(path))}`);
  ctx.type = 'application/octet-stream';
  if (download.size !== undefined) ctx.length = download.size;
  ctx.body = download.stream;
}

/** Deletes a proxied file or folder. */
export async function deleteArtifact(ctx: Context, { artifacts, locations }: MlflowApiDeps): Promise<void> {
  await artifacts.delete(locations.rootUri, proxiedPath(ctx));
  ctx.body = {};
}

/** `GET /api/2.0/mlflow-artifacts/artifacts?path=<dir>`: entries by basename, as MLflow lists them. */
export async function listProxied(ctx: Context, { artifacts, locations }: MlflowApiDeps): Promise<void> {
  const raw = optStr(paramsOf(ctx), 'path') ?? '';
  const path = raw === '' ? '' : validateArtifactPath(raw, 'path');
  const files = await artifacts.list(locations.rootUri, path === '' ? undefined : path);
  ctx.body = files.length > 0 ? { files: files.map((f) => wireFile(f, basename(f.path))) } : {};
}

/** `GET /api/2.0/mlflow/artifacts/list`: a run's artifacts with paths relative to its root. */
export const runArtifactRoutes: readonly MlflowRoute[] = [
  {
    methods: ['GET'],
    path: '/artifacts/list',
    handler: async (p, { tracking, artifacts, locations }) => {
      const run = await tracking.getRun(reqStr(p, 'run_id', 'run_uuid'));
      const raw = optStr(p, 'path') ?? '';
      const path = raw === '' ? undefined : validateArtifactPath(raw, 'path');
      const files = await artifacts.list(run.info.artifactUri, path);
      return {
        root_uri: locations.toClient(run.info.artifactUri),
        ...(files.length > 0 && { files: files.map((f) => wireFile(f, f.path)) }),
      };
    },
  },
];
