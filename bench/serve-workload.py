"""The Python logging workload of `pnpm bench:serve`: what a training script sends a tracking server.

Usage: python serve-workload.py <experiment> <runs> <steps>   (MLFLOW_TRACKING_URI says which server)

Per run: 5 params, 3 tags, <steps> synchronous log_metrics calls of 3 keys, one 64 KiB artifact,
end_run. Then checks that every point is stored and prints one JSON line with the seconds spent
logging (imports and the check excluded).
"""
import json
import os
import sys
import tempfile
import time

import mlflow
from mlflow import MlflowClient

experiment, runs, steps = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
KEYS = ("loss", "acc", "iou")
blob = os.path.join(tempfile.mkdtemp(), "weights.bin")
with open(blob, "wb") as f:
    f.write(os.urandom(64 * 1024))

started = time.perf_counter()
mlflow.set_experiment(experiment)
ids = []
for r in range(runs):
    with mlflow.start_run(run_name=f"run-{r}") as run:
        ids.append(run.info.run_id)
        mlflow.log_params({"lr": 0.001 * (r + 1), "batch": 32, "arch": "unet", "epochs": steps, "seed": r})
        mlflow.set_tags({"field": "m31", "telescope": "jwst", "phase": "train"})
        for step in range(steps):
            mlflow.log_metrics({k: 1.0 / (step + 1 + i) for i, k in enumerate(KEYS)}, step=step)
        mlflow.log_artifact(blob)
seconds = time.perf_counter() - started

client = MlflowClient()
for run_id in ids:
    for key in KEYS:
        n = len(client.get_metric_history(run_id, key))
        if n != steps:
            raise SystemExit(f"run {run_id} holds {n} points of {key}, expected {steps}")
    if [a.path for a in client.list_artifacts(run_id)] != ["weights.bin"]:
        raise SystemExit(f"run {run_id} lacks its artifact")
print(json.dumps({"seconds": seconds, "points": runs * steps * len(KEYS)}))
