/** Key/value string pairs: params or tags. Keys are unique. */
export type Tags = Readonly<Record<string, string>>;

/** One page of a paginated listing. */
export interface Page<T> {
  readonly items: readonly T[];
  /** Opaque token for the next page; absent on the last page. */
  readonly nextPageToken?: string;
}

/** Paging arguments shared by every search. */
export interface PageRequest {
  /** Page size. Each search documents its default and maximum (MLflow's). */
  readonly maxResults?: number;
  /** A token from a previous page of the same query. */
  readonly pageToken?: string;
}
