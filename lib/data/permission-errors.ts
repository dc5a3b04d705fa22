// DuckDB refusing what the lockdown forbids, said in the project's terms.

/** DuckDB's permission errors, said in the project's terms. */
export function explainPermissionError(message: string): string | undefined {
  const file = /Cannot access (?:file|directory) "([^"]+)"/.exec(message)?.[1];
  if (file)
    return `the query tried to use ${file}, outside the data folder; queries may read only the data folder (and write inside the output folder with COPY ... TO)`;
  if (/Loading external extensions is disabled/.test(message))
    return 'extensions cannot be installed or loaded here';
  if (/the configuration has been locked/.test(message)) return 'settings cannot be changed from a query';
  return undefined;
}
