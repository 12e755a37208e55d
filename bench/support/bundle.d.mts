/** Bundles `entry` (a path from the repository root, or absolute) to `<outDir>/<name>.mjs`; returns that path. */
export function bundleForNode(entry: string, outDir?: string): Promise<string>;
