import { lstat, mkdir, realpath } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { isPathWithin } from '@logbook/core/spi';
import { fail } from '../errors.js';
import type { ResolvedArtifact } from './file-root.js';

/** True for the errors that mean "nothing there". */
export function isMissing(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

async function realOrMissing(path: string): Promise<string | undefined> {
  try {
    return await realpath(path);
  } catch (error) {
    if (isMissing(error)) return undefined;
    throw error;
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return true;
  } catch (error) {
    if (isMissing(error)) return false;
    throw error;
  }
}

function linkLeaves(rel: string): never {
  return fail('PERMISSION_DENIED', `Artifact '${rel === '' ? '.' : rel}' leads outside the run's artifact folder through a symbolic link; refused.`, 'path');
}

function runOutsideRoot(): never {
  return fail('PERMISSION_DENIED', "The run's artifact folder is outside the store's artifact root (or reached through a symbolic link that leaves it); refused.", 'artifactUri');
}

/**
 * Every path of a {@link LocalArtifactStore} call is checked here after resolution: symbolic links
 * resolved, the result must stay inside the run's artifact folder, and the run's folder inside the
 * store's root when one is configured. A link inside a run folder that points elsewhere is thus
 * never read, listed, written or deleted through.
 */
export class ContainedPaths {
  /** @param storeRoot absolute local folder every run folder must be in; undefined: no such bound. */
  constructor(private readonly storeRoot: string | undefined) {}

  /** The real path of an existing target, or undefined when it or the run folder is missing. */
  async existing(target: ResolvedArtifact): Promise<string | undefined> {
    const run = await this.realRunFolder(target);
    if (run === undefined) return undefined;
    const real = await realOrMissing(target.full);
    if (real === undefined) return undefined;
    if (!isPathWithin(run, real)) linkLeaves(target.rel);
    return real;
  }

  /**
   * The real folder a new file of `target` goes in, created when missing. Before creating, the
   * deepest folder that exists is resolved and checked: `mkdir -p` never runs through a link out.
   */
  async writableFolder(target: ResolvedArtifact): Promise<string> {
    this.checkLexically(target);
    const folder = dirname(target.full);
    let deepest = folder;
    while (!(await exists(deepest)) && dirname(deepest) !== deepest) deepest = dirname(deepest);
    const real = await realOrMissing(deepest);
    if (real === undefined) linkLeaves(target.rel); // a dangling link
    if (isPathWithin(target.root, deepest)) {
      const run = await this.realRunFolder(target);
      if (run === undefined || !isPathWithin(run, real)) linkLeaves(target.rel);
    } else if (this.storeRoot !== undefined && isPathWithin(this.storeRoot, deepest)) {
      if (!isPathWithin(await this.realStoreRoot(), real)) runOutsideRoot();
    }
    await mkdir(folder, { recursive: true });
    const realFolder = await realpath(folder);
    const run = await this.realRunFolder(target);
    if (run === undefined || !isPathWithin(run, realFolder)) linkLeaves(target.rel);
    return realFolder;
  }

  /** What to remove for `target`: its parent resolved, its own name kept (a link is removed, not followed). */
  async removable(target: ResolvedArtifact): Promise<string | undefined> {
    this.checkLexically(target);
    const parent = await realOrMissing(dirname(target.full));
    if (parent === undefined) return undefined;
    if (target.rel === '') {
      if (this.storeRoot !== undefined && !isPathWithin(await this.realStoreRoot(), parent)) runOutsideRoot();
    } else {
      const run = await this.realRunFolder(target);
      if (run === undefined) return undefined;
      if (!isPathWithin(run, parent)) linkLeaves(target.rel);
    }
    return join(parent, basename(target.full));
  }

  private async realStoreRoot(): Promise<string> {
    return (await realOrMissing(this.storeRoot!)) ?? this.storeRoot!;
  }

  private checkLexically(target: ResolvedArtifact): void {
    if (this.storeRoot !== undefined && !isPathWithin(this.storeRoot, target.root)) runOutsideRoot();
  }

  /** The real run folder, checked against the store root; undefined when it does not exist. */
  private async realRunFolder(target: ResolvedArtifact): Promise<string | undefined> {
    this.checkLexically(target);
    const real = await realOrMissing(target.root);
    if (real !== undefined && this.storeRoot !== undefined && !isPathWithin(await this.realStoreRoot(), real)) runOutsideRoot();
    return real;
  }
}
