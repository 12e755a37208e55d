import type { DependencyContainer } from 'tsyringe';
import { LogbookError } from '../errors.js';

/**
 * `container` as a closed logbook shows it: once `isClosed()`, every method but `dispose` throws
 * a typed INVALID_STATE naming the call, instead of tsyringe's plain "disposed" Error.
 */
export function closedAware(container: DependencyContainer, isClosed: () => boolean): DependencyContainer {
  return new Proxy(container, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function' || property === 'dispose') return value;
      return (...args: unknown[]) => {
        if (isClosed()) {
          throw new LogbookError('INVALID_STATE', `[core] This logbook is closed: its container cannot ${String(property)}() any more. Create a new logbook.`, {
            field: 'container',
          });
        }
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}
