// Small text helpers shared by the builders.

import { DEFAULT_LOCALE } from '../format/values.ts';

/** `closed_won` → "Closed won", `true_friends` → "True friends"; other text is kept. */
export function humanize(text: string): string {
  if (!/^[a-z0-9_]+$/.test(text)) return text;
  const spaced = text.replaceAll('_', ' ');
  return spaced.charAt(0).toUpperCase() + spaced.slice(1);
}

/** "1 customer", "3 customers" (digits in `locale`). */
export function plural(n: number, one: string, options: { many?: string; locale?: string } = {}): string {
  return `${n.toLocaleString(options.locale ?? DEFAULT_LOCALE)} ${n === 1 ? one : (options.many ?? `${one}s`)}`;
}
