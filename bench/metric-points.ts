/** The metric workload the logging and mlflow benchmarks share: 10 keys per step, fixed epoch. */
export const KEYS: readonly string[] = Array.from({ length: 10 }, (_, k) => `metric_${k}`);
export const T0 = 1_700_000_000_000;

/** `--points N` from argv (a positive multiple of the key count), else `defaultPoints`; exits 2 when invalid. */
export function parsePoints(argv: readonly string[], defaultPoints: number): number {
  const i = argv.indexOf('--points');
  const n = i < 0 ? defaultPoints : Number(argv[i + 1]);
  if (!Number.isSafeInteger(n) || n < KEYS.length || n % KEYS.length !== 0) {
    console.error(`--points must be a positive multiple of ${KEYS.length}`);
    process.exit(2);
  }
  return n;
}
