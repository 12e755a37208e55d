// Reads one run back through MLflow's own Python client (the pinned mlflow in .cache/venv), so
// the spool tests check what MLflow itself sees, not what Logbook's client makes of it.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

/** The venv's Python, with mlflow installed. */
export const python = fileURLToPath(new URL('../../../.cache/venv/bin/python', import.meta.url));

/** One run as MLflow's Python client reads it: info, params, tags, every metric's steps, artifact hashes. */
const READ_RUN = String.raw`
import hashlib, json, sys, tempfile
from mlflow import MlflowClient
import mlflow.artifacts
uri, run_id = sys.argv[1], sys.argv[2]
c = MlflowClient(uri)
r = c.get_run(run_id)
def files(path=None):
    out = {}
    for f in c.list_artifacts(run_id, path):
        if f.is_dir:
            out.update(files(f.path))
        else:
            with tempfile.TemporaryDirectory() as d:
                local = mlflow.artifacts.download_artifacts(run_id=run_id, artifact_path=f.path, dst_path=d, tracking_uri=uri)
                with open(local, 'rb') as fh:
                    out[f.path] = hashlib.sha256(fh.read()).hexdigest()
    return out
exp = c.get_experiment(r.info.experiment_id)
print(json.dumps({
  'name': r.info.run_name, 'status': r.info.status, 'endTime': r.info.end_time, 'experiment': exp.name,
  'runsInExperiment': len(c.search_runs([exp.experiment_id], max_results=100)),
  'params': dict(r.data.params), 'tags': dict(r.data.tags),
  'steps': {k: sorted(m.step for m in c.get_metric_history(run_id, k)) for k in sorted(r.data.metrics)},
  'artifacts': files(),
  'experiments': sorted(e.name for e in c.search_experiments(max_results=1000)),
}))
`;

/** What {@link readRun} returns. */
export interface PythonRun {
  name: string; status: string; endTime: number | null; experiment: string; runsInExperiment: number;
  params: Record<string, string>; tags: Record<string, string>; steps: Record<string, number[]>;
  artifacts: Record<string, string>; experiments: string[];
}

/** Info, params, tags, each metric's sorted steps, artifact SHA-256s, and the server's experiment names. */
export async function readRun(uri: string, runId: string): Promise<PythonRun> {
  const { stdout } = await promisify(execFile)(python, ['-c', READ_RUN, uri, runId], { timeout: 120_000, maxBuffer: 64 << 20, env: { ...process.env, MLFLOW_DISABLE_TELEMETRY: 'true', DO_NOT_TRACK: 'true' } });
  return JSON.parse(stdout) as PythonRun;
}

