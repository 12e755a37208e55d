"""Reads and writes once through `mlflow` with whatever credentials the environment gives.

Usage: python auth.py <experiment-name>   (MLFLOW_TRACKING_URI, MLFLOW_TRACKING_USERNAME/PASSWORD/TOKEN)

Prints one JSON line: {"ok": true, "experiments": n} or {"error_code": …, "status": …, "exception": …}.
"""
import json
import sys

import mlflow
from mlflow import MlflowClient
from mlflow.exceptions import MlflowException

client = MlflowClient()
try:
    experiment_id = client.create_experiment(sys.argv[1])
    with mlflow.start_run(experiment_id=experiment_id):
        mlflow.log_param("lr", 0.01)
        mlflow.log_metric("loss", 0.5, step=1)
    runs = client.search_runs([experiment_id])
    print(json.dumps({"ok": True, "runs": len(runs), "params": runs[0].data.params}))
except MlflowException as e:
    print(json.dumps({"error_code": e.error_code, "status": e.get_http_status_code(), "exception": type(e).__name__}))
