import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { link, rm } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { SHA256_TAG, SIZE_TAG } from '@logbook/core';
import type { Logbook } from '@logbook/core';
import { CliError, ExitCode } from '../exit-codes.js';

/** What `models download` prints (and its `--json` shape). */
export interface Downloaded {
  readonly name: string;
  readonly version: string;
  readonly path: string;
  readonly sha256: string;
  readonly size: number;
}

/**
 * Streams the version's bytes into a temporary file beside `out`, then links it into place: a
 * checksum mismatch (DATA_LOSS, exit 4) or a broken connection leaves no file behind, and an
 * existing `out` is never overwritten (exit 2).
 */
export async function download(lb: Logbook, cwd: string, name: string, ref: string, out: string): Promise<Downloaded> {
  const path = resolve(cwd, out);
  const version = await lb.registry.getModelVersion(name, ref);
  const partial = join(dirname(path), `.${randomUUID()}.partial`);
  try {
    await pipeline(await lb.versioning.openModelVersion(name, version.version), createWriteStream(partial, { flags: 'wx' }));
    await link(partial, path).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'EEXIST') throw new CliError(`[cli] ${path} exists; choose another --out.`, ExitCode.USAGE);
      throw error;
    });
  } finally {
    await rm(partial, { force: true });
  }
  return { name, version: version.version, path, sha256: version.tags[SHA256_TAG]!, size: Number(version.tags[SIZE_TAG]) };
}
