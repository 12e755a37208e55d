"""What mlflow-export-import does to a history, checked with its own commands (docs/sync.md quotes it).

Run with the bench's venv (bench/support/setup-venv-bench.sh): `.cache/venv-bench/bin/python
bench/support/export-import-check.py`. It logs 4 runs of 20,000 points (fixed start and end times)
into a `sqlite:///` store, serves it and a fresh target with `mlflow server` (SQLite, local
artifacts, in a temporary folder removed at the end), exports the experiment, then: imports it once and compares ids,
start and end times and status with the source; imports it again into the same experiment and
counts the runs; imports it into another experiment, SIGKILLs the import once the first run
exists, runs the import again and counts runs and RUNNING runs. Prints one JSON object.
"""
import json, os, shutil, signal, socket, subprocess, sys, tempfile, time
from mlflow import MlflowClient
from mlflow.entities import Metric

BIN = os.path.dirname(sys.executable)
T0 = 1_700_000_000_000


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(db, artifacts):
    port = free_port()
    proc = subprocess.Popen([os.path.join(BIN, "mlflow"), "server", "--host", "127.0.0.1", "--port", str(port),
                             "--backend-store-uri", db, "--artifacts-destination", artifacts, "--workers", "1"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    uri = f"http://127.0.0.1:{port}"
    for _ in range(600):
        try:
            MlflowClient(uri).search_experiments(max_results=1)
            return proc, uri
        except Exception:
            time.sleep(0.5)
    raise RuntimeError("mlflow server did not start")


def exim(command, uri, *args, wait=True):
    env = {**os.environ, "MLFLOW_TRACKING_URI": uri, "MLFLOW_ENABLE_TELEMETRY": "false"}
    proc = subprocess.Popen([os.path.join(BIN, command), *args], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    if wait and proc.wait() != 0:
        raise RuntimeError(f"{command} exited with {proc.returncode}")
    return proc


def runs_of(client, name):
    exp = client.get_experiment_by_name(name)
    return [] if exp is None else client.search_runs([exp.experiment_id], max_results=1000)


def main():
    home = tempfile.mkdtemp(prefix="exim-check-")
    src_db = f"sqlite:///{home}/source.db"
    src = MlflowClient(src_db)
    exp = src.create_experiment("station", artifact_location=f"{home}/source-artifacts")
    source = {}
    for r in range(4):
        run = src.create_run(exp, start_time=T0 + r * 1000, run_name=f"run-{r}")
        for start in range(0, 20_000, 1000):
            src.log_batch(run.info.run_id, metrics=[Metric(f"m{i % 10}", float(i), T0 + i, i // 10) for i in range(start, start + 1000)])
        src.set_terminated(run.info.run_id, "FAILED" if r == 3 else "FINISHED", T0 + r * 1000 + 500)
        source[f"run-{r}"] = src.get_run(run.info.run_id).info
    servers = [serve(src_db, f"{home}/a1"), serve(f"sqlite:///{home}/target.db", f"{home}/a2")]
    (_, src_uri), (_, dst_uri) = servers
    dst = MlflowClient(dst_uri)
    try:
        out = f"{home}/exported"
        exim("export-experiment", src_uri, "--experiment", "station", "--output-dir", out)
        exim("import-experiment", dst_uri, "--experiment-name", "imported", "--input-dir", out)
        first = runs_of(dst, "imported")
        same = lambda field: sum(1 for x in first if getattr(x.info, field) == getattr(source[x.info.run_name], field))
        report = {
            "runs_after_one_import": len(first),
            "run_ids_kept": sum(1 for x in first if x.info.run_id == source[x.info.run_name].run_id),
            "start_times_kept": same("start_time"),
            "end_times_kept": same("end_time"),
            "statuses_kept": same("status"),
        }
        exim("import-experiment", dst_uri, "--experiment-name", "imported", "--input-dir", out)
        report["runs_after_importing_twice"] = len(runs_of(dst, "imported"))
        killed = exim("import-experiment", dst_uri, "--experiment-name", "killed", "--input-dir", out, wait=False)
        while not runs_of(dst, "killed") and killed.poll() is None:
            time.sleep(0.05)
        time.sleep(0.5)
        killed.send_signal(signal.SIGKILL)
        killed.wait()
        report["runs_left_by_the_killed_import"] = len(runs_of(dst, "killed"))
        exim("import-experiment", dst_uri, "--experiment-name", "killed", "--input-dir", out)
        after = runs_of(dst, "killed")
        report["runs_after_import_again"] = len(after)
        report["running_runs_after_import_again"] = sum(1 for x in after if x.info.status == "RUNNING")
        report["points_of_running_runs"] = [sum(len(dst.get_metric_history(x.info.run_id, f"m{k}")) for k in range(10)) for x in after if x.info.status == "RUNNING"]
        print(json.dumps(report))
    finally:
        for proc, _ in servers:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait()
        shutil.rmtree(home, ignore_errors=True)


main()
