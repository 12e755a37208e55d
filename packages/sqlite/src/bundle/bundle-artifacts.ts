import { lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TEMP_SUFFIX } from '../artifacts/file-root.js';

/** One artifact file of a run: its path relative to the run's artifact root, where it is, its mtime. */
export interface ArtifactFile {
  readonly rel: string;
  readonly path: string;
  readonly mtimeMs: number;
}

/** The local folder of a run's `file:` artifact URI, or `undefined` for other stores (`s3:`, …). */
export function localArtifactFolder(artifactUri: string): string | undefined {
  return artifactUri.startsWith('file:') ? fileURLToPath(artifactUri) : undefined;
}

/**
 * The regular files under `folder`, depth first (none when it does not exist). Symbolic links are
 * not followed and in-flight uploads (`*.logbook-tmp`) are skipped.
 */
export async function* listArtifactFiles(folder: string, rel = ''): AsyncGenerator<ArtifactFile> {
  let entries;
  try {
    entries = await readdir(rel === '' ? folder : join(folder, ...rel.split('/')), { withFileTypes: true });
  } catch {
    return;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const childRel = rel === '' ? entry.name : `${rel}/${entry.name}`;
    if (entry.isDirectory()) yield* listArtifactFiles(folder, childRel);
    else if (entry.isFile() && !entry.name.endsWith(TEMP_SUFFIX)) {
      const path = join(folder, ...childRel.split('/'));
      const stats = await lstat(path);
      yield { rel: childRel, path, mtimeMs: stats.mtimeMs };
    }
  }
}

/** True when a file under `folder` was modified at or after `sinceMs`. */
export async function hasArtifactsModifiedSince(folder: string, sinceMs: number): Promise<boolean> {
  for await (const file of listArtifactFiles(folder)) if (file.mtimeMs >= sinceMs) return true;
  return false;
}
