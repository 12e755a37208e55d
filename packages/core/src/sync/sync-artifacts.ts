import type { ArtifactStore } from '../contracts/artifact-store.js';
import type { FileInfo } from '../model/artifact.js';
import { orMissing } from './sync-job.js';
import type { SyncJob } from './sync-job.js';

/** Every file under an artifact root, walking folders one listing at a time. */
async function listFiles(store: ArtifactStore, artifactUri: string): Promise<FileInfo[]> {
  const files: FileInfo[] = [];
  const folders: (string | undefined)[] = [undefined];
  while (folders.length > 0) {
    const folder = folders.pop();
    const infos = (await orMissing(() => store.list(artifactUri, folder))) ?? [];
    for (const info of infos) {
      if (info.isDir) folders.push(info.path);
      else files.push(info);
    }
  }
  return files;
}

/**
 * Copies a run's artifacts that the target lacks (or holds with another size), streaming each
 * file from the source store into the target store: memory stays bounded whatever the size.
 * Artifacts carry no seq, so they are compared by listing whenever the run changed.
 */
export async function syncRunArtifacts(job: SyncJob, localUri: string, remoteUri: string): Promise<void> {
  const local = await listFiles(job.source.artifacts, localUri);
  if (local.length === 0) return;
  const remote = new Map((await listFiles(job.target.artifacts, remoteUri)).map((f) => [f.path, f.fileSize]));
  for (const file of local) {
    if (remote.has(file.path) && remote.get(file.path) === file.fileSize) continue;
    job.throwIfAborted();
    const download = await job.source.artifacts.get(localUri, file.path);
    const size = download.size ?? file.fileSize;
    await job.target.artifacts.put(remoteUri, file.path, download.stream, {
      ...(size === undefined ? {} : { size }),
      ...(download.contentType === undefined ? {} : { contentType: download.contentType }),
    });
    job.artifactBytes += size ?? 0;
    job.progress.bytesDone += size ?? 0;
    job.emit('artifacts');
  }
}
