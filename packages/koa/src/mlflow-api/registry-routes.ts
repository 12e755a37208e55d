import { LogbookError, ModelStage } from '@logbook/core';
import type { MlflowRoute } from './route.js';
import { optBool, optStr, reqStr, searchFields, strList, tagsOf } from './request.js';
import { wireModelVersion, wirePage, wireRegisteredModel } from './wire.js';

const EMPTY = {};
const STAGES: Readonly<Record<string, ModelStage>> = {
  none: ModelStage.None,
  staging: ModelStage.Staging,
  production: ModelStage.Production,
  archived: ModelStage.Archived,
};

/** Fully URL-decoded, as MLflow's server decodes a source before it looks for `..`. */
function decodedFully(value: string): string {
  let current = value;
  for (let i = 0; i < 10; i++) {
    let next: string;
    try {
      next = decodeURIComponent(current.replace(/\+/g, ' '));
    } catch {
      return current;
    }
    if (next === current) return current;
    current = next;
  }
  return current;
}

/**
 * A model version source with a `..` segment or a NUL, however encoded, is refused as on MLflow's
 * server: it is mapped into the store's artifact root and must not reach outside it.
 */
function checkedSource(source: string): string {
  const decoded = decodedFully(source);
  if (decoded.includes('\0') || decoded.split(/[/\\]/).includes('..')) {
    throw new LogbookError('INVALID_PARAMETER_VALUE', `[koa] Invalid model version source: '${source}'. Relative path references ('..') are not permitted; give an absolute path.`, {
      field: 'source',
    });
  }
  return source;
}

/** MLflow's stage names are case-insensitive; anything else is 400. */
function stageOf(value: string): ModelStage {
  const stage = STAGES[value.toLowerCase()];
  if (stage === undefined) {
    throw new LogbookError('INVALID_PARAMETER_VALUE', `[koa] Invalid Model Version stage: ${value}. Value must be one of None, Staging, Production, Archived.`, { field: 'stage' });
  }
  return stage;
}

/** `/registered-models/*`: create, get, search, update, rename, delete, tags, aliases, latest versions. */
export const registeredModelRoutes: readonly MlflowRoute[] = [
  {
    methods: ['POST'],
    path: '/registered-models/create',
    handler: async (p, { registry, locations }) => {
      const description = optStr(p, 'description');
      const tags = tagsOf(p);
      const model = await registry.createRegisteredModel({
        name: reqStr(p, 'name'),
        ...(description !== undefined && description !== '' && { description }),
        ...(Object.keys(tags).length > 0 && { tags }),
      });
      return { registered_model: wireRegisteredModel(model, locations) };
    },
  },
  {
    methods: ['GET'],
    path: '/registered-models/get',
    handler: async (p, { registry, locations }) => ({ registered_model: wireRegisteredModel(await registry.getRegisteredModel(reqStr(p, 'name')), locations) }),
  },
  {
    methods: ['GET'],
    path: '/registered-models/search',
    handler: async (p, { registry, locations }) => {
      // Prompts are left out by the store's search, as by MLflow's (core's registry filter).
      const page = await registry.searchRegisteredModels(searchFields(p, 100));
      return wirePage(page, 'registered_models', (m) => wireRegisteredModel(m, locations));
    },
  },
  {
    methods: ['PATCH'],
    path: '/registered-models/update',
    handler: async (p, { registry, locations }) => ({
      registered_model: wireRegisteredModel(await registry.updateRegisteredModel(reqStr(p, 'name'), { description: optStr(p, 'description') ?? '' }), locations),
    }),
  },
  {
    methods: ['POST'],
    path: '/registered-models/rename',
    handler: async (p, { registry, locations }) => ({ registered_model: wireRegisteredModel(await registry.renameRegisteredModel(reqStr(p, 'name'), reqStr(p, 'new_name')), locations) }),
  },
  {
    methods: ['DELETE'],
    path: '/registered-models/delete',
    handler: async (p, { registry }) => {
      await registry.deleteRegisteredModel(reqStr(p, 'name'));
      return EMPTY;
    },
  },
  {
    methods: ['POST'],
    path: '/registered-models/set-tag',
    handler: async (p, { registry }) => {
      await registry.setRegisteredModelTag(reqStr(p, 'name'), reqStr(p, 'key'), optStr(p, 'value') ?? '');
      return EMPTY;
    },
  },
  {
    methods: ['DELETE'],
    path: '/registered-models/delete-tag',
    handler: async (p, { registry }) => {
      await registry.deleteRegisteredModelTag(reqStr(p, 'name'), reqStr(p, 'key'));
      return EMPTY;
    },
  },
  {
    methods: ['POST'],
    path: '/registered-models/alias',
    handler: async (p, { registry }) => {
      await registry.setRegisteredModelAlias(reqStr(p, 'name'), reqStr(p, 'alias'), reqStr(p, 'version'));
      return EMPTY;
    },
  },
  {
    methods: ['DELETE'],
    path: '/registered-models/alias',
    handler: async (p, { registry }) => {
      await registry.deleteRegisteredModelAlias(reqStr(p, 'name'), reqStr(p, 'alias'));
      return EMPTY;
    },
  },
  {
    methods: ['GET'],
    path: '/registered-models/alias',
    handler: async (p, { registry, locations }) => ({ model_version: wireModelVersion(await registry.getModelVersionByAlias(reqStr(p, 'name'), reqStr(p, 'alias')), locations) }),
  },
  {
    methods: ['GET', 'POST'],
    path: '/registered-models/get-latest-versions',
    handler: async (p, { registry, locations }) => {
      const stages = strList(p, 'stages').map(stageOf);
      const versions = await registry.getLatestVersions(reqStr(p, 'name'), stages.length > 0 ? stages : undefined);
      return versions.length > 0 ? { model_versions: versions.map((v) => wireModelVersion(v, locations)) } : EMPTY;
    },
  },
];

/** `/model-versions/*`: create, get, search, update, stages, delete, download URI, tags. */
export const modelVersionRoutes: readonly MlflowRoute[] = [
  {
    methods: ['POST'],
    path: '/model-versions/create',
    handler: async (p, { registry, locations }) => {
      const runId = optStr(p, 'run_id');
      const runLink = optStr(p, 'run_link');
      const description = optStr(p, 'description');
      const tags = tagsOf(p);
      const version = await registry.createModelVersion({
        name: reqStr(p, 'name'),
        // Kept as the store's own location (as run artifact URIs are), so that `logbook sync`
        // finds it inside the run's artifacts and points it at the target's run.
        source: locations.toStore(checkedSource(reqStr(p, 'source'))),
        ...(runId !== undefined && runId !== '' && { runId }),
        ...(runLink !== undefined && runLink !== '' && { runLink }),
        ...(description !== undefined && description !== '' && { description }),
        ...(Object.keys(tags).length > 0 && { tags }),
      });
      return { model_version: wireModelVersion(version, locations) };
    },
  },
  {
    methods: ['GET'],
    path: '/model-versions/get',
    handler: async (p, { registry, locations }) => ({ model_version: wireModelVersion(await registry.getModelVersion(reqStr(p, 'name'), reqStr(p, 'version')), locations) }),
  },
  {
    methods: ['GET'],
    path: '/model-versions/search',
    handler: async (p, { registry, locations }) => wirePage(await registry.searchModelVersions(searchFields(p, 10_000)), 'model_versions', (v) => wireModelVersion(v, locations)),
  },
  {
    methods: ['PATCH'],
    path: '/model-versions/update',
    handler: async (p, { registry, locations }) => ({
      model_version: wireModelVersion(await registry.updateModelVersion(reqStr(p, 'name'), reqStr(p, 'version'), { description: optStr(p, 'description') ?? '' }), locations),
    }),
  },
  {
    methods: ['POST'],
    path: '/model-versions/transition-stage',
    handler: async (p, { registry, locations }) => {
      const version = await registry.transitionModelVersionStage(reqStr(p, 'name'), reqStr(p, 'version'), stageOf(reqStr(p, 'stage')), optBool(p, 'archive_existing_versions') ?? false);
      return { model_version: wireModelVersion(version, locations) };
    },
  },
  {
    methods: ['DELETE'],
    path: '/model-versions/delete',
    handler: async (p, { registry }) => {
      await registry.deleteModelVersion(reqStr(p, 'name'), reqStr(p, 'version'));
      return EMPTY;
    },
  },
  {
    methods: ['GET'],
    path: '/model-versions/get-download-uri',
    handler: async (p, { registry, locations }) => ({ artifact_uri: locations.toClient(await registry.getModelVersionDownloadUri(reqStr(p, 'name'), reqStr(p, 'version'))) }),
  },
  {
    methods: ['POST'],
    path: '/model-versions/set-tag',
    handler: async (p, { registry }) => {
      await registry.setModelVersionTag(reqStr(p, 'name'), reqStr(p, 'version'), reqStr(p, 'key'), optStr(p, 'value') ?? '');
      return EMPTY;
    },
  },
  {
    methods: ['DELETE'],
    path: '/model-versions/delete-tag',
    handler: async (p, { registry }) => {
      await registry.deleteModelVersionTag(reqStr(p, 'name'), reqStr(p, 'version'), reqStr(p, 'key'));
      return EMPTY;
    },
  },
];
