import { extname } from 'node:path';
import { exceedsCodePoints, validateArtifactPath } from '@logbook/core/spi';
import { badField } from '../errors.js';
import { runWithRole } from './access.js';
import { pathParam, runIdParam } from './route.js';
import type { RouteSpec } from './route.js';

/** Content types by extension, for stores that do not record one. */
const TYPES: Readonly<Record<string, string>> = {
  '.json': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
  '.log': 'text/plain; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
  '.yaml': 'application/yaml',
  '.yml': 'application/yaml',
  '.md': 'text/markdown; charset=utf-8',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.svg': 'image/svg+xml',
  '.html': 'text/html; charset=utf-8',
  '.pdf': 'application/pdf',
  '.parquet': 'application/vnd.apache.parquet',
  '.pkl': 'application/octet-stream',
  '.onnx': 'application/octet-stream',
  '.gz': 'application/gzip',
  '.zip': 'application/zip',
  '.npy': 'application/octet-stream',
  '.pt': 'application/octet-stream',
};

/** Types a browser would render as active content on the host's origin: always downloaded. */
const ACTIVE = /^(text\/html|image\/svg\+xml|application\/xhtml\+xml|text\/xml|application\/xml)/i;

/** GET /artifacts/{run_id}/{path}: streams one artifact file; never buffered whole. */
export const artifactRoutes: RouteSpec[] = [
  {
    method: 'get',
    path: '/artifacts/{run_id}/{path}',
    wildcard: 'path',
    operationId: 'getArtifact',
    tag: 'artifacts',
    access: 'scoped',
    summary: "Download one artifact file of a run. `path` is relative to the run's artifact root and may contain '/'.",
    parameters: [runIdParam, pathParam('path', 'Artifact path, relative; no `..`.', { type: 'string', minLength: 1, maxLength: 1024 })],
    responses: { 200: { description: 'The file, streamed.', contentType: 'application/octet-stream' } },
    async handler(ctx, deps) {
      const raw = (ctx.params as Record<string, string | string[] | undefined>).path;
      const joined = Array.isArray(raw) ? raw.join('/') : raw;
      if (joined === undefined || joined === '') badField('path', 'is required');
      if (exceedsCodePoints(joined, 1024)) badField('path', 'must have at most 1024 characters');
      const path = validateArtifactPath(joined, 'path');
      if (path === '') badField('path', 'must name a file');
      const run = await runWithRole(ctx, deps, 'reader', (ctx.params as Record<string, string>).run_id!);
      const download = await deps.artifacts.get(run.info.artifactUri, path);
      const type = download.contentType ?? TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream';
      ctx.set('X-Content-Type-Options', 'nosniff');
      ctx.set('Content-Security-Policy', "default-src 'none'; sandbox");
      const filename = encodeURIComponent(path.slice(path.lastIndexOf('/') + 1));
      ctx.set('Content-Disposition', `${ACTIVE.test(type) ? 'attachment' : 'inline'}; filename*=UTF-8''${filename}`);
      ctx.type = type;
      if (download.size !== undefined) ctx.length = download.size;
      ctx.body = download.stream;
    },
  },
];
