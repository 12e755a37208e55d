import { LogbookError, ModelStage } from '@logbook/core';
import type { MlflowRoute } from './route.js';
import { optBool, optStr, reqStr, searchFields, strList, tagsOf } from './request.js';
import { wireModelVersion, wirePage, wireRegisteredModel } from './wire.js';

const EMPTY = {};
const STAGES: Readonly<Record<string, ModelStage>> = {
  none: ModelStage.None, staging: ModelStage.Staging, production: ModelStage.Production, archived: ModelStage.Archived,
};

const PROMPT_TAG = 'mlflow.prompt.is_prompt';
/**
 * The clause MLflow 3's client appends to every registered-model search to leave prompts out. On
 * MLflow's server it keeps models without the tag; in Logbook's grammar a `!=` on a missing tag
 * does not match, so the clause is taken off and prompts are dropped from the page here.
 */
const NOT_PROMPT = /^\s*tags?\.`mlflow\.prompt\.is_prompt`\s*!=\s*'true'\s*$|\s+AND\s+tags?\.`mlflow\.prompt\.is_prompt`\s*!=\s*'true'\s*$/i;

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
    methods: ['POST'], path: '/registered-models/create',
    handler: async (p, { registry }) => {
      const description = optStr(p, 'description');
      const tags = tagsOf(p);
      const model = await registry.createRegisteredModel({
        name: reqStr(p, 'name'),
        ...(description !== undefined && description !== '' && { description }),
        ...(Object.keys(tags).length > 0 && { tags }),
      });
      return { registered_model: wireRegisteredModel(model) };
    },
  },
  {
    methods: ['GET'], path: '/registered-models/get',
    handler: async (p, { registry }) => ({ registered_model: wireRegisteredModel(await registry.getRegisteredModel(reqStr(p, 'name'))) }),
  },
  {
    methods: ['GET'], path: '/registered-models/search',
    handler: async (p, { registry }) => {
      const { filter: raw, ...query } = searchFields(p, 100);
      const filter = raw?.replace(NOT_PROMPT, '');
      const page = await registry.searchRegisteredModels({ ...query, ...(filter !== undefined && filter !== '' && { filter }) });
      const models = page.items.filter((m) => m.tags[PROMPT_TAG] !== 'true');
      return wirePage({ ...page, items: models }, 'registered_models', wireRegisteredModel);
    },
  },
  {
    methods: ['PATCH'], path: '/registered-models/update',
    handler: async (p, { registry }) => ({ registered_model: wireRegisteredModel(await registry.updateRegisteredModel(reqStr(p, 'name'), { description: optStr(p, 'description') ?? '' })) }),
  },
  {
    methods: ['POST'], path: '/registered-models/rename',
    handler: async (p, { registry }) => ({ registered_model: wireRegisteredModel(await registry.renameRegisteredModel(reqStr(p, 'name'), reqStr(p, 'new_name'))) }),
  },
  {
    methods: ['DELETE'], path: '/registered-models/delete',
    handler: async (p, { registry }) => { await registry.deleteRegisteredModel(reqStr(p, 'name')); return EMPTY; },
  },
  {
    methods: ['POST'], path: '/registered-models/set-tag',
    handler: async (p, { registry }) => { await registry.setRegisteredModelTag(reqStr(p, 'name'), reqStr(p, 'key'), optStr(p, 'value') ?? ''); return EMPTY; },
  },
  {
    methods: ['DELETE'], path: '/registered-models/delete-tag',
    handler: async (p, { registry }) => { await registry.deleteRegisteredModelTag(reqStr(p, 'name'), reqStr(p, 'key')); return EMPTY; },
  },
  {
    methods: ['POST'], path: '/registered-models/alias',
    handler: async (p, { registry }) => { await registry.setRegisteredModelAlias(reqStr(p, 'name'), reqStr(p, 'alias'), reqStr(p, 'version')); return EMPTY; },
  },
  {
    methods: ['DELETE'], path: '/registered-models/alias',
    handler: async (p, { registry }) => { await registry.deleteRegisteredModelAlias(reqStr(p, 'name'), reqStr(p, 'alias')); return EMPTY; },
  },
  {
    methods: ['GET'], path: '/registered-models/alias',
    handler: async (p, { registry }) => ({ model_version: wireModelVersion(await registry.getModelVersionByAlias(reqStr(p, 'name'), reqStr(p, 'alias'))) }),
  },
  {
    methods: ['GET', 'POST'], path: '/registered-models/get-latest-versions',
    handler: async (p, { registry }) => {
      const stages = strList(p, 'stages').map(stageOf);
      const versions = await registry.getLatestVersions(reqStr(p, 'name'), stages.length > 0 ? stages : undefined);
      return versions.length > 0 ? { model_versions: versions.map(wireModelVersion) } : EMPTY;
    },
  },
];

/** `/model-versions/*`: create, get, search, update, stages, delete, download URI, tags. */
export const modelVersionRoutes: readonly MlflowRoute[] = [
  {
    methods: ['POST'], path: '/model-versions/create',
    handler: async (p, { registry }) => {
      const runId = optStr(p, 'run_id');
      const runLink = optStr(p, 'run_link');
      const description = optStr(p, 'description');
      const tags = tagsOf(p);
      const version = await registry.createModelVersion({
        name: reqStr(p, 'name'),
        source: reqStr(p, 'source'),
        ...(runId !== undefined && runId !== '' && { runId }),
        ...(runLink !== undefined && runLink !== '' && { runLink }),
        ...(description !== undefined && description !== '' && { description }),
        ...(Object.keys(tags).length > 0 && { tags }),
      });
      return { model_version: wireModelVersion(version) };
    },
  },
  {
    methods: ['GET'], path: '/model-versions/get',
    handler: async (p, { registry }) => ({ model_version: wireModelVersion(await registry.getModelVersion(reqStr(p, 'name'), reqStr(p, 'version'))) }),
  },
  {
    methods: ['GET'], path: '/model-versions/search',
    handler: async (p, { registry }) => wirePage(await registry.searchModelVersions(searchFields(p, 10_000)), 'model_versions', wireModelVersion),
  },
  {
    methods: ['PATCH'], path: '/model-versions/update',
    handler: async (p, { registry }) => ({ model_version: wireModelVersion(await registry.updateModelVersion(reqStr(p, 'name'), reqStr(p, 'version'), { description: optStr(p, 'description') ?? '' })) }),
  },
  {
    methods: ['POST'], path: '/model-versions/transition-stage',
    handler: async (p, { registry }) => {
      const version = await registry.transitionModelVersionStage(reqStr(p, 'name'), reqStr(p, 'version'), stageOf(reqStr(p, 'stage')), optBool(p, 'archive_existing_versions') ?? false);
      return { model_version: wireModelVersion(version) };
    },
  },
  {
    methods: ['DELETE'], path: '/model-versions/delete',
    handler: async (p, { registry }) => { await registry.deleteModelVersion(reqStr(p, 'name'), reqStr(p, 'version')); return EMPTY; },
  },
  {
    methods: ['GET'], path: '/model-versions/get-download-uri',
    handler: async (p, { registry, locations }) => ({ artifact_uri: locations.toClient(await registry.getModelVersionDownloadUri(reqStr(p, 'name'), reqStr(p, 'version'))) }),
  },
  {
    methods: ['POST'], path: '/model-versions/set-tag',
    handler: async (p, { registry }) => { await registry.setModelVersionTag(reqStr(p, 'name'), reqStr(p, 'version'), reqStr(p, 'key'), optStr(p, 'value') ?? ''); return EMPTY; },
  },
  {
    methods: ['DELETE'], path: '/model-versions/delete-tag',
    handler: async (p, { registry }) => { await registry.deleteModelVersionTag(reqStr(p, 'name'), reqStr(p, 'version'), reqStr(p, 'key')); return EMPTY; },
  },
];
