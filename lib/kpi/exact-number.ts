// Numbers typed as parameters reach SQL with every digit. A JavaScript number is a double: it
// keeps 15 significant digits (whole numbers up to 2^53), so an 18-digit CRM id would come back
// rounded and silently match another row. Pure.

const DECIMAL = /^[+-]?(\d*)(?:\.(\d*))?(?:[eE][+-]?\d+)?$/;

/** Significant digits a double always writes back as typed. */
export const EXACT_DIGITS = 15;

/** `12`, `-3.50`, `.5`, `1e6`: a number as people write one (no hex, no Infinity, no spaces). */
export function isDecimal(text: string): boolean {
  const match = DECIMAL.exec(text);
  return match !== null && `${match[1] ?? ''}${match[2] ?? ''}` !== '';
}

/**
 * The value of a decimal (`12`, `-3.50`, `1e6`) when a double holds it to every digit;
 * undefined when it does not, or when `text` is not a decimal.
 */
export function exactNumber(text: string): number | undefined {
  if (!isDecimal(text)) return undefined;
  const [, whole = '', fraction = ''] = DECIMAL.exec(text) ?? [];
  const value = Number(text);
  if (!Number.isFinite(value)) return undefined;
  const digits = (whole + fraction).replace(/^0+/, '').replace(/0+$/, '').length;
  // A number too small for a double becomes 0: not what was written.
  if (value === 0 && digits > 0) return undefined;
  if (digits <= EXACT_DIGITS) return value;
  const isWhole = /^[+-]?\d+$/.test(text);
  return isWhole && Number.isSafeInteger(value) ? value : undefined;
}

/**
 * How `pulse query --param x=...` binds: as a number when the number is exactly what was typed
 * (`100`, `2.5`), otherwise as the text (`12345678901234567`, `007`), which DuckDB reads as a
 * literal: `id = $x` compares the text, `amount >= $x` casts it to the column's type.
 */
export function typedParam(text: string): string | number | boolean {
  if (text === 'true' || text === 'false') return text === 'true';
  if (!/^-?(0|[1-9]\d*)(\.\d+)?$/.test(text)) return text;
  return exactNumber(text) ?? text;
}
