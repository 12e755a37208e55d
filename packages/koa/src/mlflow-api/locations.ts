/**
 * Maps between the store's artifact locations and MLflow's proxied `mlflow-artifacts:` URIs.
 * Locations under the served root are shown to clients as `mlflow-artifacts:/<path>` (as
 * `mlflow server --serve-artifacts` does), so Python clients upload through the artifact proxy
 * and need no access to the store's disk or bucket. Other locations pass through unchanged.
 */
export class ArtifactLocations {
  private readonly root: string;

  /** @param root URI of the served artifact root, e.g. `file:///srv/logbook/artifacts` */
  constructor(root: string) {
    this.root = root.replace(/\/+$/, '');
  }

  /** The served root, as the artifact store addresses it. */
  get rootUri(): string {
    return this.root;
  }

  /** Store location → what the client sees. */
  toClient(location: string): string {
    if (location === this.root) return 'mlflow-artifacts:/';
    if (location.startsWith(`${this.root}/`)) return `mlflow-artifacts:${location.slice(this.root.length)}`;
    return location;
  }

  /** Client location → the store's (`mlflow-artifacts:/x` and `mlflow-artifacts://host/x` → `<root>/x`). */
  toStore(location: string): string {
    const match = /^mlflow-artifacts:(?:\/\/[^/]*)?\/*(.*)$/i.exec(location);
    if (match === null) return location;
    return match[1] === '' ? this.root : `${this.root}/${match[1]}`;
  }
}
