// Global setup of the 'mlflow' test project: starts the real server once per run and provides its
// address to tests. Owned by the @logbook/mlflow work; placeholder until then.
export default async function setup(): Promise<void> {}
