"""One of N concurrent loggers: python load.py <experiment> <worker> <points>. Uses only `mlflow`."""
import sys

import mlflow
from mlflow import MlflowClient
from mlflow.entities import Metric

experiment, worker, points = sys.argv[1], sys.argv[2], int(sys.argv[3])
mlflow.set_experiment(experiment)
client = MlflowClient()
with mlflow.start_run(run_name=f"worker-{worker}") as run:
    mlflow.log_param("worker", worker)
    for step in range(points // 2):
        mlflow.log_metric("loss", 1.0 / (step + 1), step=step, timestamp=1_700_000_000_000 + step, synchronous=step % 2 == 0)
    batch = [Metric("acc", step / points, 1_700_000_000_000 + step, step) for step in range(points - points // 2)]
    for i in range(0, len(batch), 250):
        client.log_batch(run.info.run_id, metrics=batch[i:i + 250])
    mlflow.flush_async_logging()
print(run.info.run_id)
