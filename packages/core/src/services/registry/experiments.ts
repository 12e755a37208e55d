import type { TrackingStore } from '../../contracts/tracking-store.js';
import { isLogbookError } from '../../errors.js';

/** The id of experiment `name`, created when missing (another process creating it too is fine). */
export async function ensureExperiment(tracking: TrackingStore, name: string): Promise<string> {
  const existing = await tracking.getExperimentByName(name);
  if (existing !== undefined) return existing.experimentId;
  try {
    return await tracking.createExperiment({ name });
  } catch (error) {
    if (!isLogbookError(error, 'RESOURCE_ALREADY_EXISTS')) throw error;
    const created = await tracking.getExperimentByName(name);
    if (created === undefined) throw error;
    return created.experimentId;
  }
}
