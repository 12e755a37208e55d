/** Numeric comparators MLflow accepts for metrics and numeric attributes. */
export type NumericComparator = '=' | '!=' | '>' | '>=' | '<' | '<=';
/** String comparators MLflow accepts for params, tags and string attributes. `LIKE` is case-sensitive. */
export type StringComparator = '=' | '!=' | 'LIKE' | 'ILIKE';
/** Presence tests (params and tags of runs, tags of experiments). */
export type NullComparator = 'IS NULL' | 'IS NOT NULL';
/** List membership (only on the id/name attributes MLflow allows it for). */
export type ListComparator = 'IN' | 'NOT IN';

/** `<entity>.<key> <op> <number>` */
export interface NumericClause<E extends string, K extends string = string> {
  readonly entity: E;
  readonly key: K;
  readonly comparator: NumericComparator;
  readonly value: number;
}

/** `<entity>.<key> <op> '<string>'`; LIKE patterns keep their `%` and `_` wildcards. */
export interface StringClause<E extends string, K extends string = string> {
  readonly entity: E;
  readonly key: K;
  readonly comparator: StringComparator;
  readonly value: string;
  /**
   * Also true where the key is absent. Set only on the clause that leaves MLflow 3 prompts out of
   * registered-model searches (tag `mlflow.prompt.is_prompt`); a `!=` typed by a user never matches a
   * missing tag, as in MLflow.
   */
  readonly matchesMissing?: boolean;
}

/** `<entity>.<key> IS [NOT] NULL` */
export interface NullClause<E extends string, K extends string = string> {
  readonly entity: E;
  readonly key: K;
  readonly comparator: NullComparator;
}

/** `<entity>.<key> [NOT] IN ('a', 'b')` */
export interface ListClause<E extends string, K extends string = string> {
  readonly entity: E;
  readonly key: K;
  readonly comparator: ListComparator;
  readonly values: readonly string[];
}

/** String attributes of runs, canonical names (`run name` becomes `run_name`). */
export type RunStringAttribute = 'run_id' | 'run_name' | 'user_id' | 'status' | 'artifact_uri';
/** Numeric attributes of runs, canonical names (`created` becomes `start_time`). */
export type RunNumericAttribute = 'start_time' | 'end_time';

/** One AND-ed clause of a run filter. `metric` clauses test the latest value of the metric. */
export type RunFilterClause =
  | NumericClause<'metric'>
  | StringClause<'param' | 'tag'>
  | NullClause<'param' | 'tag'>
  | StringClause<'attribute', RunStringAttribute>
  | ListClause<'attribute', 'run_id'>
  | NumericClause<'attribute', RunNumericAttribute>;

/** One AND-ed clause of an experiment filter. */
export type ExperimentFilterClause =
  | StringClause<'attribute', 'name'>
  | StringClause<'attribute', 'experiment_id'>
  | ListClause<'attribute', 'experiment_id'>
  | NumericClause<'attribute', 'creation_time' | 'last_update_time'>
  | StringClause<'tag'>
  | NullClause<'tag'>;

/** One AND-ed clause of a registered-model filter. */
export type RegisteredModelFilterClause = StringClause<'attribute', 'name'> | ListClause<'attribute', 'name'> | StringClause<'tag'>;

/** One AND-ed clause of a model-version filter (`source_path` is the version's `source`). */
export type ModelVersionFilterClause =
  | StringClause<'attribute', 'name' | 'run_id' | 'source_path'>
  | ListClause<'attribute', 'name' | 'run_id'>
  | NumericClause<'attribute', 'version_number'>
  | StringClause<'tag'>;

/** A parsed filter: every clause must hold (MLflow filters only know AND). Empty = match all. */
export type SearchFilter<C> = readonly C[];

/** One sort key of a search, in the order it applies. */
export interface OrderByClause<E extends string, K extends string = string> {
  readonly entity: E;
  readonly key: K;
  readonly ascending: boolean;
}

/** Run sort keys; attribute keys are canonical (`created` becomes `start_time`). */
export type RunOrderByClause = OrderByClause<'metric' | 'param' | 'tag'> | OrderByClause<'attribute', RunStringAttribute | RunNumericAttribute>;
/** Experiment sort keys. */
export type ExperimentOrderByClause = OrderByClause<'attribute', 'name' | 'experiment_id' | 'creation_time' | 'last_update_time'>;
/** Registered-model sort keys (MLflow's `timestamp` is `last_updated_timestamp`). */
export type RegisteredModelOrderByClause = OrderByClause<'attribute', 'name' | 'last_updated_timestamp'>;
/** Model-version sort keys. */
export type ModelVersionOrderByClause = OrderByClause<'attribute', 'name' | 'version_number' | 'creation_timestamp' | 'last_updated_timestamp'>;
