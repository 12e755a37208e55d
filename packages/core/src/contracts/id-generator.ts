import { randomUUID } from 'node:crypto';
import type { InjectionToken } from 'tsyringe';
import { LogbookError } from '../errors.js';

/** Returns a new, unique id: 32 lowercase hex characters, as MLflow's run ids. */
export type IdGenerator = () => string;

/** A random UUID without its dashes (what MLflow uses for run ids). */
export const randomId: IdGenerator = () => randomUUID().replaceAll('-', '');

/**
 * DI token of the generator of the ids a store assigns (run ids of the memory and SQLite stores).
 * Register one in the container given to `createLogbook` for predictable ids in tests; the
 * backend provider receives it as `context.newId`.
 * @default random UUIDs without dashes
 */
export const ID_GENERATOR: InjectionToken<IdGenerator> = Symbol.for('logbook.IdGenerator');

/**
 * Calls `newId` for a new run's id and checks what it returns (a custom generator is user code):
 * letters, digits, '_' or '-', at most 256 characters, as `validateRunId` accepts.
 * @throws LogbookError INVALID_CONFIGURATION naming `ID_GENERATOR` when the id is not one.
 */
export function generateRunId(newId: IdGenerator): string {
  const id: unknown = newId();
  if (typeof id !== 'string' || !/^[a-zA-Z0-9][\w-]{0,255}$/.test(id)) {
    const shown = typeof id === 'string' ? `'${id.slice(0, 40)}'` : typeof id;
    throw new LogbookError('INVALID_CONFIGURATION', `[core] The id generator (ID_GENERATOR) returned ${shown}: run ids must be letters, digits, '_' or '-', at most 256 characters.`, {
      field: 'ID_GENERATOR',
    });
  }
  return id;
}
