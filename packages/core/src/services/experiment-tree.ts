import type { Experiment } from '../model/experiment.js';

/** One level of the experiment hierarchy (names split on `/`). */
export interface ExperimentTreeNode {
  /** This level's segment, e.g. `unet` in `segmentation/unet`. */
  readonly name: string;
  /** The full name up to this level, e.g. `segmentation/unet`. */
  readonly path: string;
  /** The experiment with exactly this name, when one exists (intermediate levels may have none). */
  readonly experiment?: Experiment;
  readonly children: readonly ExperimentTreeNode[];
}

interface MutableNode {
  name: string;
  path: string;
  experiment?: Experiment;
  children: Map<string, MutableNode>;
}

/**
 * Arranges experiments as a tree by their `/`-separated names, children sorted by name. With a
 * `prefix`, only experiments named `prefix` or `prefix/…` are kept, and the roots are the
 * prefix's own level.
 */
export function buildExperimentTree(experiments: readonly Experiment[], prefix?: string): ExperimentTreeNode[] {
  const root: MutableNode = { name: '', path: '', children: new Map() };
  const base = prefix?.replace(/\/+$/, '');
  for (const experiment of experiments) {
    if (base && experiment.name !== base && !experiment.name.startsWith(`${base}/`)) continue;
    let node = root;
    for (const segment of experiment.name.split('/')) {
      const path = node.path === '' ? segment : `${node.path}/${segment}`;
      let child = node.children.get(segment);
      if (child === undefined) node.children.set(segment, (child = { name: segment, path, children: new Map() }));
      node = child;
    }
    node.experiment = experiment;
  }
  return freeze(root).children as ExperimentTreeNode[];
}

function freeze(node: MutableNode): ExperimentTreeNode {
  const children = [...node.children.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)).map(freeze);
  return node.experiment === undefined ? { name: node.name, path: node.path, children } : { name: node.name, path: node.path, experiment: node.experiment, children };
}
