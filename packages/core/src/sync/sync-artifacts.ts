import type { ArtifactStore } from '../contracts/artifact-store.js';
import type { FileInfo } from '../model/artifact.js';
import { orMissing } from './sync-job.js';
import type { SyncJob } from './sync-job.js';

/**
 * Every file under an artifact root (paths relative to it), walking folders one listing at a
 * time; none when the root does not exist.
 */
export async function listArtifactFiles(store: ArtifactStore, artifactUri: string): Promise<FileInfo[]> {
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

/** The run's local files not recorded as sent to the target (with this size). */
export async function unsentArtifacts(job: SyncJob, runId: string, localUri: string): Promise<FileInfo[]> {
  const local = await listArtifactFiles(job.source.artifacts, localUri);
  if (local.length === 0) return local;
  const sent = await job.source.artifactsSent(job.target.id, runId);
  return local.filter((f) => sent.get(f.path) !== (f.fileSize ?? -1));
}

/**
 * Copies a run's artifacts that the target lacks (or holds with another size), streaming each
 * file from the source store into the target store: memory stays bounded whatever the size.
 * Artifacts carry no seq: the files recorded as sent are skipped without asking the target, the
 * others are compared with the target's listing, and each is recorded once it is there.
 */
export async function syncRunArtifacts(job: SyncJob, runId: string, localUri: string, remoteUri: string): Promise<void> {
  const local = await unsentArtifacts(job, runId, localUri);
  if (local.length === 0) return;
  const remote = new Map((await listArtifactFiles(job.target.artifacts, remoteUri)).map((f) => [f.path, f.fileSize]));
  for (const file of local) {
    if (remote.has(file.path) && remote.get(file.path) === file.fileSize) {
      if (!job.dryRun && file.fileSize !== undefined) await job.source.recordArtifactSent(job.target.id, runId, file.path, file.fileSize);
      continue;
    }
    job.throwIfAborted();
    const download = await job.source.artifacts.get(localUri, file.path);
    const size = download.size ?? file.fileSize;
    try {
      await job.target.artifacts.put(remoteUri, file.path, download.stream, {
        ...(size === undefined ? {} : { size }),
        ...(download.contentType === undefined ? {} : { contentType: download.contentType }),
      });
    } catch (error) {
      // A put that failed before reading the stream to its end leaves the source file open.
      download.stream.destroy();
      throw error;
    }
    if (size !== undefined) await job.source.recordArtifactSent(job.target.id, runId, file.path, size);
    job.artifactBytes += size ?? 0;
    job.progress.bytesDone += size ?? 0;
    job.emit('artifacts');
  }
}
