import type { InjectionToken } from 'tsyringe';
import type { BatchingLogger } from './batching-logger.js';

/** DI token of the logbook's {@link BatchingLogger}. */
export const BATCHING_LOGGER: InjectionToken<BatchingLogger> = Symbol.for('logbook.BatchingLogger');
