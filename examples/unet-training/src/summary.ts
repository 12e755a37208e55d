import type { SweepResult } from './training/sweep.js';
import { f1 } from './training/sweep.js';

const fixed = (n: number | undefined, digits = 3): string => (n === undefined ? '-' : n.toFixed(digits));

/** A few lines for the terminal: one row per child run, then what was published. */
export function formatSummary(result: SweepResult, trackingUri: string, elapsedMs: number): string {
  const { children, best, published } = result;
  const epochs = best.history.length;
  const lines = [
    `Trained ${children.length} encoder-decoders (${epochs} epochs each) in ${(elapsedMs / 1000).toFixed(1)} s; sweep run ${result.parentRunId}`,
    '  learning rate  train loss  val loss  precision  recall  F1     run',
  ];
  for (const c of children) {
    const last = c.history.at(-1);
    lines.push(
      `  ${String(c.learningRate).padEnd(13)}  ${fixed(last?.train_loss).padStart(10)}  ${fixed(last?.val_loss).padStart(8)}  ` +
        `${fixed(last?.precision, 2).padStart(9)}  ${fixed(last?.recall, 2).padStart(6)}  ${fixed(f1(c), 2).padEnd(5)}  ${c.runId}${c === best ? '  <- best' : ''}`,
    );
  }
  const v = published.version;
  lines.push(
    `Registered ${v.name} version ${v.version} (semver ${published.semver}), stage ${v.currentStage}`,
    `Weights: ${published.weightsPath} (artifact ${published.artifactPath} of run ${best.runId})`,
    `Tracking store: ${trackingUri}`,
  );
  return lines.join('\n');
}
