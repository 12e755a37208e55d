import type { InjectionToken } from 'tsyringe';

/** Milliseconds since the epoch, as `Date.now`. */
export type Clock = () => number;

/**
 * DI token of the clock that stamps run start/end times and metric points logged without a
 * timestamp. Register one in the container given to `createLogbook` to control time in tests.
 * @default Date.now
 */
export const CLOCK: InjectionToken<Clock> = Symbol.for('logbook.Clock');
