/** Result of probing `/health` and `/version`. */
export interface HealthProbe {
  readonly healthy: boolean;
  readonly version?: string;
}

async function getText(url: string, headers: Record<string, string>, timeoutMs: number): Promise<string | undefined> {
  try {
    const response = await fetch(url, { headers, signal: AbortSignal.timeout(timeoutMs) });
    const body = await response.text();
    return response.ok ? body.trim() : undefined;
  } catch {
    return undefined;
  }
}

/** `GET /health` answered 200. */
export async function isHealthy(baseUri: string, timeoutMs = 2000): Promise<boolean> {
  return (await getText(`${baseUri}/health`, {}, timeoutMs)) !== undefined;
}

/**
 * Probes `/health` and `/version`. Under basic-auth `/version` needs credentials, so pass the
 * `Authorization` header when there is one.
 */
export async function probe(baseUri: string, authorization?: string, timeoutMs = 2000): Promise<HealthProbe> {
  const healthy = await isHealthy(baseUri, timeoutMs);
  if (!healthy) return { healthy };
  const version = await getText(`${baseUri}/version`, authorization === undefined ? {} : { authorization }, timeoutMs);
  return version === undefined ? { healthy } : { healthy, version };
}
