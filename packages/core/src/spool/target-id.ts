/**
 * The id a sync target's cursor and id map are kept under, for an `http(s)` tracking URI: scheme,
 * host (lower-cased) and path without credentials, query or trailing slash. `logbook sync --to`
 * computes the same id, so the spool's drainer and the CLI share one cursor per server.
 */
export function httpTargetId(trackingUri: string): string {
  const url = new URL(trackingUri);
  return `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, '')}`;
}
