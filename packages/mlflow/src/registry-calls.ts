import { randomUUID } from 'node:crypto';
import { LIMITS, modelNameFilter, validateModelName } from '@logbook/core/spi';
import type { CreateModelVersionInput, CreateRegisteredModelInput, ModelStage, ModelVersion, Page, RegisteredModel, RegistrySearchQuery } from '@logbook/core';
import type { HttpTransport } from './http/transport.js';
import type { QueryValue } from './http/json.js';
import { CLIENT_REQUEST_ID_TAG } from './tracking-calls.js';
import { requireWellFormedJson, toKeyValues, toModelVersion, toRegisteredModel } from './transform.js';
import type { WireModelVersion, WireRegisteredModel } from './wire.js';

const API = '/api/2.0/mlflow';

function searchQuery(query: RegistrySearchQuery, defaultMax: number): Record<string, QueryValue> {
  return { filter: query.filter, max_results: query.maxResults ?? defaultMax, order_by: query.orderBy, page_token: query.pageToken };
}

const page = <T>(items: T[], token: string | undefined): Page<T> => (token === undefined || token === '' ? { items } : { items, nextPageToken: token });

/** A version without the request-id tag `createModelVersion` puts on it while it is being created. */
function withoutRequestId(version: ModelVersion): ModelVersion {
  if (!(CLIENT_REQUEST_ID_TAG in version.tags)) return version;
  const { [CLIENT_REQUEST_ID_TAG]: _omit, ...tags } = version.tags;
  return { ...version, tags };
}

/**
 * The RegistryStore half of MlflowStore. Registry DELETEs carry their parameters in a JSON body
 * (MLflow reads them from there, not from the query string).
 */
export class RegistryCalls {
  constructor(private readonly http: HttpTransport) {}

  private async model(method: 'GET' | 'POST' | 'PATCH', path: string, args: Record<string, unknown>): Promise<RegisteredModel> {
    requireWellFormedJson(args);
    const options = method === 'GET' ? { query: args as Record<string, QueryValue> } : { json: args };
    const res = await this.http.call<{ registered_model: WireRegisteredModel }>(method, `${API}/registered-models/${path}`, options);
    return toRegisteredModel(res.registered_model);
  }

  private async version(method: 'GET' | 'POST' | 'PATCH', path: string, args: Record<string, unknown>): Promise<ModelVersion> {
    requireWellFormedJson(args);
    const options = method === 'GET' ? { query: args as Record<string, QueryValue> } : { json: args };
    const res = await this.http.call<{ model_version: WireModelVersion }>(method, `${API}/${path}`, options);
    return withoutRequestId(toModelVersion(res.model_version));
  }

  async createRegisteredModel(input: CreateRegisteredModelInput): Promise<RegisteredModel> {
    // Checked here: past 256 characters MLflow answers with its database's raw error.
    validateModelName(input.name);
    return this.model('POST', 'create', { name: input.name, description: input.description, tags: toKeyValues(input.tags) });
  }

  getRegisteredModel(name: string): Promise<RegisteredModel> {
    return this.model('GET', 'get', { name });
  }

  async searchRegisteredModels(query: RegistrySearchQuery = {}): Promise<Page<RegisteredModel>> {
    const res = await this.http.call<{ registered_models?: WireRegisteredModel[]; next_page_token?: string }>('GET', `${API}/registered-models/search`, {
      query: searchQuery(query, LIMITS.defaultSearchRegisteredModelsResults),
    });
    return page((res.registered_models ?? []).map(toRegisteredModel), res.next_page_token);
  }

  updateRegisteredModel(name: string, update: { readonly description?: string }): Promise<RegisteredModel> {
    return this.model('PATCH', 'update', { name, description: update.description });
  }

  async renameRegisteredModel(name: string, newName: string): Promise<RegisteredModel> {
    validateModelName(newName, 'newName');
    return this.model('POST', 'rename', { name, new_name: newName });
  }

  async deleteRegisteredModel(name: string): Promise<void> {
    await this.http.call('DELETE', `${API}/registered-models/delete`, { json: { name } });
  }

  async setRegisteredModelTag(name: string, key: string, value: string): Promise<void> {
    const body = { name, key, value };
    requireWellFormedJson(body);
    await this.http.call('POST', `${API}/registered-models/set-tag`, { json: body });
  }

  async deleteRegisteredModelTag(name: string, key: string): Promise<void> {
    await this.http.call('DELETE', `${API}/registered-models/delete-tag`, { json: { name, key } });
  }

  async setRegisteredModelAlias(name: string, alias: string, version: string): Promise<void> {
    await this.http.call('POST', `${API}/registered-models/alias`, { json: { name, alias, version } });
  }

  async deleteRegisteredModelAlias(name: string, alias: string): Promise<void> {
    await this.http.call('DELETE', `${API}/registered-models/alias`, { json: { name, alias } });
  }

  /** An unknown alias stays INVALID_PARAMETER_VALUE (MLflow answers 400, not 404). */
  getModelVersionByAlias(name: string, alias: string): Promise<ModelVersion> {
    return this.version('GET', 'registered-models/alias', { name, alias });
  }

  async getLatestVersions(name: string, stages: readonly ModelStage[] = []): Promise<readonly ModelVersion[]> {
    const res = await this.http.call<{ model_versions?: WireModelVersion[] }>('POST', `${API}/registered-models/get-latest-versions`, { json: { name, stages } });
    return (res.model_versions ?? []).map(toModelVersion);
  }

  /**
   * Creating a version is not idempotent: when the answer is lost (connection cut, 5xx) after the
   * server may have created it, the retry first looks for the version by a request id tag sent
   * with it (as `createRun` does), so a lost answer never makes a second version. The tag is
   * removed once the version is known.
   */
  async createModelVersion(input: CreateModelVersionInput): Promise<ModelVersion> {
    const requestId = randomUUID();
    const args = {
      name: input.name,
      source: input.source,
      run_id: input.runId,
      run_link: input.runLink,
      description: input.description,
      tags: toKeyValues({ ...input.tags, [CLIENT_REQUEST_ID_TAG]: requestId }),
    };
    requireWellFormedJson(args);
    const res = await this.http.call<{ model_version: WireModelVersion }>('POST', `${API}/model-versions/create`, {
      json: args,
      beforeAmbiguousRetry: async () => {
        const found = await this.findVersionByRequestId(input.name, requestId);
        return found === undefined ? undefined : { model_version: found };
      },
    });
    const version = toModelVersion(res.model_version);
    await this.http.call('DELETE', `${API}/model-versions/delete-tag`, { json: { name: version.name, version: version.version, key: CLIENT_REQUEST_ID_TAG } }).catch(() => undefined);
    return withoutRequestId(version);
  }

  private async findVersionByRequestId(name: string, requestId: string): Promise<WireModelVersion | undefined> {
    let pageToken: string | undefined;
    do {
      const res = await this.http.call<{ model_versions?: WireModelVersion[]; next_page_token?: string }>('GET', `${API}/model-versions/search`, {
        query: { filter: modelNameFilter(name), max_results: LIMITS.defaultSearchModelVersionsResults, page_token: pageToken },
      });
      const found = (res.model_versions ?? []).find((v) => v.name === name && (v.tags ?? []).some((t) => t.key === CLIENT_REQUEST_ID_TAG && t.value === requestId));
      if (found !== undefined) return found;
      pageToken = res.next_page_token === '' ? undefined : res.next_page_token;
    } while (pageToken !== undefined);
    return undefined;
  }

  getModelVersion(name: string, version: string): Promise<ModelVersion> {
    return this.version('GET', 'model-versions/get', { name, version });
  }

  async searchModelVersions(query: RegistrySearchQuery = {}): Promise<Page<ModelVersion>> {
    const res = await this.http.call<{ model_versions?: WireModelVersion[]; next_page_token?: string }>('GET', `${API}/model-versions/search`, {
      query: searchQuery(query, LIMITS.defaultSearchModelVersionsResults),
    });
    return page(
      (res.model_versions ?? []).map((v) => withoutRequestId(toModelVersion(v))),
      res.next_page_token,
    );
  }

  updateModelVersion(name: string, version: string, update: { readonly description?: string }): Promise<ModelVersion> {
    return this.version('PATCH', 'model-versions/update', { name, version, description: update.description });
  }

  transitionModelVersionStage(name: string, version: string, stage: ModelStage, archiveExistingVersions: boolean): Promise<ModelVersion> {
    return this.version('POST', 'model-versions/transition-stage', { name, version, stage, archive_existing_versions: archiveExistingVersions });
  }

  async deleteModelVersion(name: string, version: string): Promise<void> {
    await this.http.call('DELETE', `${API}/model-versions/delete`, { json: { name, version } });
  }

  async getModelVersionDownloadUri(name: string, version: string): Promise<string> {
    const res = await this.http.call<{ artifact_uri: string }>('GET', `${API}/model-versions/get-download-uri`, { query: { name, version } });
    return res.artifact_uri;
  }

  async setModelVersionTag(name: string, version: string, key: string, value: string): Promise<void> {
    const body = { name, version, key, value };
    requireWellFormedJson(body);
    await this.http.call('POST', `${API}/model-versions/set-tag`, { json: body });
  }

  async deleteModelVersionTag(name: string, version: string, key: string): Promise<void> {
    await this.http.call('DELETE', `${API}/model-versions/delete-tag`, { json: { name, version, key } });
  }
}
