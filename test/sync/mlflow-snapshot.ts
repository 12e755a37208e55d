// Reads what a sync left on a live MLflow server through MLflow's own Python client (the pinned
// mlflow in .cache/venv), in the shape of @logbook/testkit's `snapshotLogbook`, so a source
// snapshot and the server's compare with `toEqual`: runs keyed by their `logbook.sync.local_id`
// tag, provenance tags dropped, parent ids, model sources and aliases in source ids.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { LogbookSnapshot } from '../../packages/testkit/src/index.js';

const python = fileURLToPath(new URL('../../.cache/venv/bin/python', import.meta.url));

const SCRIPT = String.raw`
import hashlib, json, math, sys, tempfile, os
from mlflow import MlflowClient
from mlflow.entities import ViewType
import mlflow.artifacts

uri, names, models = sys.argv[1], json.loads(sys.argv[2]), json.loads(sys.argv[3])
c = MlflowClient(uri)
LOCAL, STATION, FINGERPRINT = 'logbook.sync.local_id', 'logbook.sync.station', 'logbook.sync.fingerprint'

def num(v):
    if math.isnan(v): return 'NaN'
    if math.isinf(v): return 'Infinity' if v > 0 else '-Infinity'
    return v

def files(run_id, path=None):
    out = {}
    for f in c.list_artifacts(run_id, path):
        if f.is_dir:
            out.update(files(run_id, f.path))
        else:
            with tempfile.TemporaryDirectory() as d:
                local = mlflow.artifacts.download_artifacts(run_id=run_id, artifact_path=f.path, dst_path=d, tracking_uri=uri)
                with open(local, 'rb') as fh:
                    out[f.path] = hashlib.sha256(fh.read()).hexdigest()
    return out

experiments, runs, key_of, raw = {}, {}, {}, []
for name in names:
    e = c.get_experiment_by_name(name)
    if e is None: continue
    experiments[name] = {'lifecycleStage': e.lifecycle_stage, 'tags': dict(e.tags)}
    for r in c.search_runs([e.experiment_id], run_view_type=ViewType.ALL, max_results=1000):
        key_of[r.info.run_id] = r.data.tags.get(LOCAL, r.info.run_id)
        raw.append((name, r))
for name, r in raw:
    tags = {k: v for k, v in r.data.tags.items() if k not in (LOCAL, STATION, FINGERPRINT)}
    if 'mlflow.parentRunId' in tags:
        tags['mlflow.parentRunId'] = key_of.get(tags['mlflow.parentRunId'], 'unknown:' + tags['mlflow.parentRunId'])
    metrics = {}
    for key in sorted(r.data.metrics):
        h = c.get_metric_history(r.info.run_id, key)
        pts = sorted([(m.timestamp, m.step, 0 if math.isnan(m.value) else m.value, m.value) for m in h])
        metrics[key] = [[p[0], p[1], num(p[3])] for p in pts]
    run = {'experiment': name, 'runName': r.info.run_name, 'userId': r.info.user_id, 'status': r.info.status,
           'startTime': r.info.start_time, 'lifecycleStage': r.info.lifecycle_stage, 'params': dict(r.data.params),
           'tags': tags, 'metrics': metrics, 'artifacts': files(r.info.run_id)}
    if r.info.end_time is not None: run['endTime'] = r.info.end_time
    runs[key_of[r.info.run_id]] = run

out_models = {}
for name in models:
    try:
        m = c.get_registered_model(name)
    except Exception:
        continue
    versions, version_key = {}, {}
    for v in c.search_model_versions("name='%s'" % name):
        key = v.tags.get(LOCAL, '%s/%s' % (v.name, v.version))
        version_key[v.version] = key
        run = key_of.get(v.run_id, 'unknown:' + v.run_id) if v.run_id else None
        source = v.source.replace('runs:/%s/' % v.run_id, 'runs:/%s/' % run) if v.run_id else v.source
        entry = {'stage': v.current_stage, 'description': v.description or '', 'source': source,
                 'tags': {k: x for k, x in v.tags.items() if k not in (LOCAL, STATION, FINGERPRINT)}}
        if run is not None: entry['run'] = run
        versions[key] = entry
    aliases = {a: version_key.get(str(ver), 'unknown:%s' % ver) for a, ver in (m.aliases or {}).items()}
    out_models[name] = {'description': m.description or '', 'tags': dict(m.tags), 'aliases': aliases, 'versions': versions}

print(json.dumps({'experiments': experiments, 'runs': runs, 'models': out_models}))
`;

const revive = (_key: string, value: unknown): unknown => (value === 'NaN' ? Number.NaN : value === 'Infinity' ? Number.POSITIVE_INFINITY : value === '-Infinity' ? Number.NEGATIVE_INFINITY : value);

/** The server's view of experiments (by name) and models (by name), read by MLflow's Python client. */
export async function readMlflowSnapshot(uri: string, experimentNames: readonly string[], modelNames: readonly string[]): Promise<LogbookSnapshot> {
  const { stdout } = await promisify(execFile)(python, ['-c', SCRIPT, uri, JSON.stringify(experimentNames), JSON.stringify(modelNames)], {
    timeout: 300_000,
    maxBuffer: 256 << 20,
  });
  return JSON.parse(stdout, revive) as LogbookSnapshot;
}
