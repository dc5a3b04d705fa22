// Recipients read from the data: the shape schedules.json gives them in.

export interface DerivedRecipients {
  /** One SELECT over the dataset: an `address` column, optional `name`, other columns are params. */
  readonly sql: string;
  /** Values for the SQL's $parameters ($period_start and $period_end are given by the run). */
  readonly params: Readonly<Record<string, string>>;
}
