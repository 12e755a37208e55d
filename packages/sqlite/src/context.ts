import type { Connection } from './connection.js';
import type { ResolvedSqliteOptions } from './types.js';

/** What every part of the store works with: the connection and the resolved options. */
export interface StoreContext {
  readonly conn: Connection;
  readonly options: ResolvedSqliteOptions;
}
