/** One numbered schema change, applied once, in order, inside a transaction. */
export interface Migration {
  /** 1, 2, 3, … without gaps. */
  readonly version: number;
  /** Short description, recorded in `schema_version`. */
  readonly name: string;
  /** SQL statements, run with `exec`. */
  readonly sql: string;
}
