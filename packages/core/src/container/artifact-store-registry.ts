import type { LogbookConfig } from '../config/types.js';
import type { ArtifactStore } from '../contracts/artifact-store.js';
import { LogbookError } from '../errors.js';
import { importFromProject } from './load-backend.js';
import { pluginList, upsertPlugin } from './plugin-list.js';

/** An artifact store that lives beside whichever tracking backend is chosen (e.g. S3). */
export interface ArtifactStoreProvider {
  /** e.g. `s3`. */
  readonly name: string;
  /** True when the config asks for this store (e.g. `config.s3` is set). */
  wanted(config: LogbookConfig): boolean;
  /** The store, and the artifact root new experiments should use when none is configured. */
  create(config: LogbookConfig): { readonly store: ArtifactStore; readonly rootUri: string };
}

function providers(): ArtifactStoreProvider[] {
  return pluginList<ArtifactStoreProvider>('logbook.artifactStoreProviders');
}

/** Makes an artifact store available to `createLogbook`; `@logbook/s3` calls it when imported. */
export function registerArtifactStore(provider: ArtifactStoreProvider): void {
  upsertPlugin(providers(), provider);
}

/** Packages that provide an artifact store, by the config section that asks for them. */
const PACKAGES: readonly { readonly name: string; readonly pkg: string; readonly wanted: (c: LogbookConfig) => boolean }[] = [
  { name: 's3', pkg: '@logbook/s3', wanted: (c) => (c as unknown as Readonly<Record<string, unknown>>)['s3'] !== undefined },
];

/**
 * The extra artifact stores the config asks for (today: S3 when `config.s3` is set), importing
 * their package from the project when it has not registered itself yet.
 * @throws LogbookError INVALID_CONFIGURATION naming the package to install.
 */
export async function loadArtifactStores(config: LogbookConfig, cwd: string): Promise<{ store: ArtifactStore; rootUri: string }[]> {
  const created: { store: ArtifactStore; rootUri: string }[] = [];
  for (const known of PACKAGES) {
    if (!known.wanted(config)) continue;
    if (!providers().some((p) => p.name === known.name)) {
      try {
        await importFromProject(known.pkg, cwd);
      } catch (cause) {
        throw new LogbookError(
          'INVALID_CONFIGURATION',
          `[core] The config has an '${known.name}' section but ${known.pkg} could not be loaded: install it (pnpm add ${known.pkg}) or import it before createLogbook().`,
          { cause, field: known.name },
        );
      }
    }
  }
  for (const provider of providers()) {
    if (provider.wanted(config)) created.push(provider.create(config));
  }
  return created;
}
