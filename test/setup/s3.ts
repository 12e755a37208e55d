// Global setup of the 's3' test project: starts the real server once per run and provides its
// address to tests. Owned by the @logbook/s3 work; placeholder until then.
export default async function setup(): Promise<void> {}
