"""One training-style script, run unchanged against `logbook serve` and against `mlflow server`.

Usage: python parity.py <prefix> <out.json> [--read-only]   (MLFLOW_TRACKING_URI says which server)

With --read-only it logs nothing and only dumps what an earlier run logged under <prefix> (the
sync test reads back, from MLflow, what it logged into `logbook serve`).

Uses only the `mlflow` package. Prints nothing; writes a normalized dump (no ids, no times, no
server-specific tags) so that two servers' dumps can be compared for equality.
"""
import hashlib
import json
import os
import sys
import tempfile

import mlflow
import numpy as np
from mlflow import MlflowClient
from mlflow.entities import Metric, Param, RunTag
from mlflow.exceptions import MlflowException

prefix, out_path = sys.argv[1], sys.argv[2]
READ_ONLY = sys.argv[3:] == ["--read-only"]
client = MlflowClient()
dump = {"errors": {}}
T0 = 1_700_000_000_000


def error_code(name, call):
    """Runs `call`; records the error_code it raised, or 'OK'."""
    try:
        call()
        dump["errors"][name] = "OK"
    except MlflowException as e:
        dump["errors"][name] = e.error_code


# Experiments: set (creates), create, get by name, search.
exp_name = f"{prefix}-exp"
if not READ_ONLY:
    mlflow.set_experiment(exp_name)
    other_id = client.create_experiment(f"{prefix}-other", tags={"team": "astro"})
    client.set_experiment_tag(other_id, "stage", "dev")
exp = client.get_experiment_by_name(exp_name)
dump["get_by_name_missing"] = client.get_experiment_by_name(f"{prefix}-missing") is None
found = client.search_experiments(filter_string=f"name LIKE '{prefix}-%'", order_by=["name ASC"])
dump["experiments"] = [{"name": e.name.replace(prefix, "P"), "tags": {k: v for k, v in e.tags.items() if not k.startswith("mlflow.")}, "stage": e.lifecycle_stage} for e in found]

# Runs: params, metrics (sync and async), batch, tags, artifacts, nested runs, status.
if not READ_ONLY:
    work = tempfile.mkdtemp()
    with open(os.path.join(work, "config.yaml"), "w") as f:
        f.write("lr: 0.01\nepochs: 3\n")
    os.makedirs(os.path.join(work, "ckpt"))
    os.makedirs(os.path.join(work, "model"))
    with open(os.path.join(work, "model", "MLmodel"), "w") as f:
        f.write("artifact_path: model\nflavors: {}\n")
    with open(os.path.join(work, "model", "weights.bin"), "wb") as f:
        f.write(b"\x00\x01weights" * 100)
    for i in range(3):
        with open(os.path.join(work, "ckpt", f"part-{i}.bin"), "wb") as f:
            f.write(bytes(range(256)) * (i + 1))

    with mlflow.start_run(run_name="parent") as parent:
        mlflow.log_param("lr", 0.01)
        mlflow.log_params({"epochs": 3, "arch": "unet", "long": "x" * 7000})
        for step in range(5):
            mlflow.log_metric("loss", 1.0 / (step + 1), step=step, timestamp=T0 + step)
        mlflow.log_metrics({"acc": 0.5, "iou": 0.25}, step=1, timestamp=T0)
        for step in range(5, 10):
            mlflow.log_metric("loss", 1.0 / (step + 1), step=step, timestamp=T0 + step, synchronous=False)
        mlflow.log_metrics({"acc": 0.75}, step=2, timestamp=T0 + 2, synchronous=False)
        mlflow.set_tag("phase", "train")
        mlflow.set_tags({"field": "m31", "telescope": "jwst"})
        mlflow.log_artifact(os.path.join(work, "config.yaml"))
        mlflow.log_artifacts(os.path.join(work, "ckpt"), artifact_path="checkpoints")
        mlflow.log_artifacts(os.path.join(work, "model"), artifact_path="model")
        mlflow.log_dict({"classes": ["star", "galaxy"]}, "meta/classes.json")
        mlflow.log_text("hello sky\n", "notes/readme.txt")
        mlflow.log_image(np.arange(48, dtype=np.uint8).reshape(4, 4, 3), "images/tile.png")
        mlflow.flush_async_logging()
        client.log_batch(
            parent.info.run_id,
            metrics=[Metric("val_loss", 0.5 - 0.01 * i, T0 + i, i) for i in range(50)],
            params=[Param("batch", "32")],
            tags=[RunTag("batch_tag", "yes")],
        )
        for name, lr in (("child-a", 0.1), ("child-b", 0.2)):
            with mlflow.start_run(run_name=name, nested=True):
                mlflow.log_param("lr", lr)
                mlflow.log_metric("loss", lr * 10, step=0, timestamp=T0)
        parent_id = parent.info.run_id

    failed = mlflow.start_run(run_name="failed-run")
    mlflow.log_metric("loss", 9.0, step=0, timestamp=T0)
    mlflow.end_run(status="FAILED")

    # Bad input: both servers must answer with the same error_code.
    run_id = parent_id
    error_code("empty_experiment_name", lambda: client.create_experiment(""))
    error_code("duplicate_experiment", lambda: client.create_experiment(exp_name))
    error_code("invalid_param_key", lambda: client.log_param(run_id, "bad!key", "1"))
    error_code("oversize_param_key", lambda: client.log_param(run_id, "k" * 300, "1"))
    error_code("changed_param", lambda: client.log_param(run_id, "lr", "0.5"))
    error_code("oversize_batch", lambda: client.log_batch(run_id, params=[Param(f"p{i}", "v") for i in range(101)]))
    error_code("missing_run_get", lambda: client.get_run("0" * 32))
    error_code("missing_run_log", lambda: client.log_metric("0" * 32, "loss", 1.0))
    error_code("missing_run_history", lambda: client.get_metric_history("0" * 32, "loss"))
    error_code("bad_filter", lambda: client.search_runs([exp.experiment_id], "metrics.loss >>> 1"))
    error_code("missing_experiment", lambda: client.get_experiment("999999999"))
    error_code("delete_missing_tag", lambda: client.delete_tag(run_id, "no-such-tag"))


SYNC_MARK = "logbook.sync."  # what `logbook sync` adds to what it creates (read-only dumps)
dump["sync_marked"] = []


def unmarked(tags, name):
    """Tags without the sync's own; notes `name` when it carried them."""
    if any(k.startswith(SYNC_MARK) for k in tags):
        dump["sync_marked"].append(name)
    return {k: v for k, v in tags.items() if not k.startswith(SYNC_MARK)}


def norm_tags(tags, names):
    skip = ("mlflow.user", "mlflow.source.name", "mlflow.source.type", "mlflow.source.git.commit", "mlflow.loggedArtifacts")
    out = {k: v for k, v in tags.items() if k not in skip}
    if "mlflow.parentRunId" in out:
        out["mlflow.parentRunId"] = names.get(out["mlflow.parentRunId"], "?")
    return out


def sha(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def artifact_hashes(run_id):
    local = client.download_artifacts(run_id, "", tempfile.mkdtemp())
    out = {}
    for root, _, files in os.walk(local):
        for name in files:
            full = os.path.join(root, name)
            out[os.path.relpath(full, local)] = sha(full)
    return dict(sorted(out.items()))


# Read everything back through the client.
runs = client.search_runs([exp.experiment_id], order_by=["attributes.run_name ASC"])
names = {r.info.run_id: r.info.run_name for r in runs}
parent_id = next(r.info.run_id for r in runs if r.info.run_name == "parent")
dump["runs"] = {}
for r in runs:
    histories = {}
    for key in sorted(r.data.metrics):
        histories[key] = [(m.step, m.value, m.timestamp) for m in sorted(client.get_metric_history(r.info.run_id, key), key=lambda m: (m.step, m.timestamp, m.value))]
    dump["runs"][r.info.run_name] = {
        "status": r.info.status,
        "ended": r.info.end_time is not None,
        "stage": r.info.lifecycle_stage,
        "params": {k: (v if len(v) < 100 else f"<{len(v)} chars>") for k, v in sorted(r.data.params.items())},
        "latest": dict(sorted(r.data.metrics.items())),
        "histories": histories,
        "tags": dict(sorted(norm_tags(unmarked(r.data.tags, r.info.run_name), names).items())),
        "artifact_uri_tail": r.info.artifact_uri.rsplit("/", 1)[-1],
        "artifacts": artifact_hashes(r.info.run_id),
        "listing": sorted((f.path, f.is_dir, f.file_size) for f in client.list_artifacts(r.info.run_id, "checkpoints")),
    }
filtered = client.search_runs([exp.experiment_id], filter_string="params.lr = '0.1' and metrics.loss > 0", order_by=["metrics.loss DESC"])
dump["search_filtered"] = [r.info.run_name for r in filtered]
ordered = client.search_runs([exp.experiment_id], filter_string="attributes.status != 'FAILED'", order_by=["params.lr DESC", "attributes.run_name ASC"], max_results=2)
dump["search_ordered_page"] = [r.info.run_name for r in ordered]
dump["child_search"] = sorted(r.info.run_name for r in client.search_runs([exp.experiment_id], f"tags.mlflow.parentRunId = '{parent_id}'"))

# Registry: register, stages, aliases, tags, latest versions.
model = f"{prefix}-unet"
if READ_ONLY:
    v1, v2 = client.get_model_version(model, "1"), client.get_model_version(model, "2")
else:
    v1 = mlflow.register_model(f"runs:/{parent_id}/model", model)
    v2 = client.create_model_version(model, f"{client.get_run(parent_id).info.artifact_uri}/meta", run_id=parent_id, tags={"kind": "meta"}, description="meta files")
    client.set_registered_model_tag(model, "owner", "astro")
    client.update_registered_model(model, description="segmentation")
    client.transition_model_version_stage(model, v1.version, "Staging")
    client.transition_model_version_stage(model, v2.version, "production", archive_existing_versions=True)
    client.set_registered_model_alias(model, "champion", v2.version)
    client.set_registered_model_alias(model, "challenger", v1.version)
    client.delete_registered_model_alias(model, "challenger")
    client.set_model_version_tag(model, v1.version, "validated", "false")
    client.delete_model_version_tag(model, v1.version, "validated")
    client.set_model_version_tag(model, v2.version, "validated", "true")
    error_code("duplicate_model", lambda: client.create_registered_model(model))
    error_code("unknown_alias", lambda: client.get_model_version_by_alias(model, "nope"))
    error_code("reserved_alias", lambda: client.set_registered_model_alias(model, "latest", v1.version))
    error_code("missing_version", lambda: client.get_model_version(model, "99"))
    error_code("missing_model", lambda: client.get_registered_model(f"{prefix}-none"))


def norm_version(v):
    return {
        "version": v.version, "stage": v.current_stage, "status": v.status, "tags": dict(sorted(unmarked(v.tags, f"v{v.version}").items())),
        "aliases": sorted(v.aliases), "run": names.get(v.run_id, v.run_id), "source_tail": v.source.rsplit("/", 1)[-1],
        "description": v.description or "",
    }


rm = client.get_registered_model(model)
dump["registry"] = {
    "description": rm.description,
    "tags": dict(sorted(rm.tags.items())),
    "aliases": dict(sorted(rm.aliases.items())),
    "latest": sorted((v.version, v.current_stage) for v in rm.latest_versions),
    "versions": [norm_version(client.get_model_version(model, v)) for v in (v1.version, v2.version)],
    "by_alias": client.get_model_version_by_alias(model, "champion").version,
    "latest_staging": [v.version for v in client.get_latest_versions(model, stages=["Staging"])],
    "search": [v.version for v in client.search_model_versions(f"name = '{model}'", order_by=["version_number ASC"])],
    "models": [m.name.replace(prefix, "P") for m in client.search_registered_models(f"name LIKE '{prefix}-%'")],
    "download": sorted(os.listdir(mlflow.artifacts.download_artifacts(f"models:/{model}/1", dst_path=tempfile.mkdtemp()))),
}

dump["sync_marked"] = sorted(set(dump["sync_marked"]))
with open(out_path, "w") as f:
    json.dump(dump, f, indent=1, sort_keys=True)
