import type { MalformedRecord } from './csv-scan.ts';

/** A line the CSV reader could not split into the header's columns, with its file. */
export interface MalformedRow extends MalformedRecord {
  readonly file: string;
  /** Its file's header, trimmed (files of one table may order their columns differently). */
  readonly header?: readonly string[];
}
