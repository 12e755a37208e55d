import { randomId } from '../contracts/id-generator.js';
import type { IdGenerator } from '../contracts/id-generator.js';
import { LogbookError } from '../errors.js';
import { DEFAULT_ARTIFACT_SCHEMES, parseArtifactLocation } from '../validation/artifact-location.js';
import type { ArtifactLocationPolicy } from '../validation/artifact-location.js';
import type { LongValuePolicy } from '../validation/values.js';

/** The artifact root of a {@link MemoryStore} unless told otherwise: served by `MemoryArtifactStore`. */
export const DEFAULT_MEMORY_ARTIFACT_ROOT = 'memory:///artifacts';

/** Options of `MemoryStore`. Every field is optional. */
export interface MemoryStoreOptions {
  /**
   * Root URI of new experiments' artifacts (`<root>/<experiment id>`).
   * @default 'memory:///artifacts' (what `MemoryArtifactStore` serves)
   */
  readonly artifactRoot?: string;
  /**
   * Param values over 6000 and run tag values over 8000 characters: `truncate` keeps the first N
   * characters (MLflow's server default); `reject` throws.
   * @default 'truncate'
   */
  readonly longValues?: LongValuePolicy;
  /** Clock in milliseconds. @default Date.now */
  readonly now?: () => number;
  /** New run ids. @default random UUIDs without dashes */
  readonly newId?: IdGenerator;
}

/** {@link MemoryStoreOptions} with every default applied. */
export interface ResolvedMemoryOptions {
  readonly artifactRoot: string;
  readonly artifactLocations: ArtifactLocationPolicy;
  readonly longValues: LongValuePolicy;
  readonly now: () => number;
  readonly newId: IdGenerator;
}

function badOption(field: string, rule: string): never {
  throw new LogbookError('INVALID_CONFIGURATION', `[memory] Option '${field}' ${rule}.`, { field });
}

/** Applies defaults and validates; throws INVALID_CONFIGURATION naming the option. */
export function resolveMemoryOptions(options: MemoryStoreOptions = {}): ResolvedMemoryOptions {
  const artifactRoot = (options.artifactRoot ?? DEFAULT_MEMORY_ARTIFACT_ROOT).replace(/\/+$/, '');
  let scheme: string;
  try {
    scheme = parseArtifactLocation(artifactRoot, 'artifactRoot').scheme;
  } catch {
    return badOption('artifactRoot', "must be an absolute URI without query, fragment or '..' segments");
  }
  const longValues = options.longValues ?? 'truncate';
  if (longValues !== 'truncate' && longValues !== 'reject') badOption('longValues', "must be 'truncate' or 'reject'");
  return {
    artifactRoot,
    artifactLocations: { schemes: [...new Set([...DEFAULT_ARTIFACT_SCHEMES, 'memory', scheme])], root: artifactRoot },
    longValues,
    now: options.now ?? Date.now,
    newId: options.newId ?? randomId,
  };
}
