// One error type for everything a user can cause. The code says what kind of mistake it
// was; the exit code follows the CLI contract (2 = bad usage or bad input, 1 = runtime).

export type PulseErrorCode =
  | 'usage'
  | 'data_folder'
  | 'data_invalid'
  | 'kpi_header'
  | 'kpi_unknown'
  | 'kpi_unavailable'
  | 'param'
  | 'query'
  | 'delivery'
  /** The data does not cover the period asked for (a stale or partial export). */
  | 'no_data'
  /** The period asked for ends before the data starts: no later export will fill it. */
  | 'before_data';

const EXIT_CODES: Record<PulseErrorCode, number> = {
  usage: 2,
  data_folder: 2,
  data_invalid: 2,
  kpi_header: 2,
  kpi_unknown: 2,
  kpi_unavailable: 2,
  param: 2,
  query: 1,
  delivery: 1,
  no_data: 2,
  before_data: 2,
};

export class PulseError extends Error {
  readonly code: PulseErrorCode;
  readonly exitCode: number;

  constructor(code: PulseErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PulseError';
    this.code = code;
    this.exitCode = EXIT_CODES[code];
  }
}

/** Lists allowed values in an error message: `one of a, b, c`. */
export function oneOf(values: readonly string[]): string {
  return values.length === 1 ? `"${values[0]}"` : `one of ${values.join(', ')}`;
}
