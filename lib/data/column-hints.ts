// The fix for a column that does not fit, said as the mapping key that makes it fit. Pure.

import type { ColumnType } from './contract.ts';

// What CRM exports call the contract's columns (compared without case, spaces or punctuation).
const SYNONYMS: Readonly<Record<string, readonly string[]>> = {
  opportunity_id: ['id', 'deal id', 'record id', 'opportunity id', 'opp id', 'deal - id'],
  customer_id: ['account id', 'account', 'account name', 'company', 'organization', 'customer', 'record id'],
  lead_id: ['lead id', 'id', 'record id'],
  owner_id: ['owner', 'opportunity owner', 'deal owner', 'contact owner', 'sales agent', 'sales rep', 'rep'],
  user_id: ['user', 'owner', 'assigned to', 'sales agent'],
  created_at: [
    'created date',
    'create date',
    'created',
    'deal created',
    'created on',
    'creation date',
    'engage date',
  ],
  closed_at: ['close date', 'closed date', 'closed on', 'close time', 'deal closed on', 'closed'],
  acquired_at: ['became a customer date', 'customer since', 'first purchase date', 'acquired', 'start date'],
  ordered_at: ['order date', 'ordered', 'date', 'invoice date'],
  status: ['stage', 'deal stage', 'opportunity stage', 'status'],
  amount: [
    'value',
    'deal value',
    'close value',
    'amount',
    'revenue',
    'total',
    'deal amount',
    'dollar value',
    'dollars',
    'line total',
    'order total',
    'total price',
  ],
  mrr: ['monthly charges', 'monthly recurring revenue', 'monthly fee', 'monthly amount'],
  industry: ['sector', 'vertical'],
  region: ['country', 'country/region', 'office location', 'territory', 'state'],
  name: ['name', 'account name', 'company name', 'full name'],
  email: ['email', 'email address', 'e-mail'],
  phone: ['phone', 'phone number', 'telephone'],
};

const squash = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, '');

/** The export column most likely meant as a contract column, if any. */
export function guessSourceColumn(column: string, found: readonly string[]): string | undefined {
  const wanted = [column, ...(SYNONYMS[column] ?? []), column.replace(/_(at|id|on)$/, '')].map(squash);
  for (const name of wanted) {
    const hit = found.find((f) => squash(f) === name);
    if (hit !== undefined) return hit;
  }
  return undefined;
}

/** `"rename": {"Close Date": "closed_at"}` */
export function renameKey(source: string, column: string): string {
  return `"rename": {${JSON.stringify(source)}: ${JSON.stringify(column)}}`;
}

export function datesKey(column: string, format: string): string {
  return `"dates": {${JSON.stringify(column)}: ${JSON.stringify(format)}}`;
}

/** Where a key goes: in the mapping in use, or in a new one. */
export function inMapping(table: string, key: string, mappingFile: string | undefined, file: string): string {
  return mappingFile
    ? `add ${key} under tables.${table} in ${mappingFile}`
    : `map it with --mapping FILE, a JSON file with {"tables": {"${table}": {"files": ${JSON.stringify(file)}, ${key}}}} (see mappings/README.md)`;
}

/** Date formats tried on values that do not read as ISO dates, most common first. */
export const CANDIDATE_DATE_FORMATS = [
  '%m/%d/%Y',
  '%d/%m/%Y',
  '%m/%d/%Y %H:%M',
  '%m/%d/%Y %H:%M:%S',
  '%m/%d/%Y %I:%M %p',
  '%m/%d/%Y, %I:%M %p',
  '%d/%m/%Y %H:%M',
  '%d/%m/%Y %H:%M:%S',
  '%d.%m.%Y',
  '%d.%m.%Y %H:%M',
  '%d.%m.%Y %H:%M:%S',
  '%Y/%m/%d',
  '%Y/%m/%d %H:%M:%S',
  '%m-%d-%Y',
  '%d-%m-%Y',
  '%b %d, %Y',
  '%d %b %Y',
  '%B %d, %Y',
  '%Y%m%d',
];

/** A derived column that reads money written with symbols or separators. */
export function moneyFix(column: string, source: string, samples: readonly string[]): string | undefined {
  // Amounts with symbols have digits; names ("GTX Pro", "GTK 500") mostly do not: no fix then.
  if (samples.filter((s) => /\d/.test(s)).length < samples.length * 0.8) return undefined;
  // Plain decimals that do not fit (too many digits) are not fixed by dropping symbols.
  if (samples.every((s) => /^[-+]?\d+(\.\d+)?$/.test(s.trim()))) return undefined;
  const name = JSON.stringify(source).slice(1, -1);
  const european = samples.some((s) => /\d,\d{1,2}\s*\D*$/.test(s.trim()));
  const digits = `regexp_replace(\\"${name}\\", '[^0-9,.-]', '', 'g')`;
  const sql = european ? `replace(replace(${digits}, '.', ''), ',', '.')` : `replace(${digits}, ',', '')`;
  return `"derive": {${JSON.stringify(column)}: "${sql}"}`;
}

/** Guesses contract values for export values: "Closed Won" → won. */
export function valuesKey(column: string, unknown: readonly string[], allowed: readonly string[]): string {
  const pairs = unknown.slice(0, 6).map((value) => {
    const guess = allowed.find((a) =>
      value
        .toLowerCase()
        .replace(/[^a-z]/g, '')
        .includes(a.replace(/_/g, '')),
    );
    return `${JSON.stringify(value)}: ${JSON.stringify(guess ?? `<${allowed.join('|')}>`)}`;
  });
  return `"values": {${JSON.stringify(column)}: {${pairs.join(', ')}}}`;
}

export function expectedFormat(type: ColumnType): string {
  return EXPECTED_FORMAT[type];
}

const EXPECTED_FORMAT: Record<ColumnType, string> = {
  id: 'an identifier',
  text: 'text',
  ts: 'an ISO 8601 timestamp such as 2026-10-31T14:05:00 or 2026-10-31T14:05:00Z',
  date: 'an ISO date such as 2026-10-31',
  money:
    'a plain decimal such as 1234.50 (no currency symbol or thousands separator, at most 16 digits before the point)',
  int: 'a whole number',
  bool: 'true or false',
  double: 'a number such as 0.25',
};
