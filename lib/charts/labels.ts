// Small text helpers shared by the builders.

/** `closed_won` → "Closed won", `true_friends` → "True friends"; other text is kept. */
export function humanize(text: string): string {
  if (!/^[a-z0-9_]+$/.test(text)) return text;
  const spaced = text.replaceAll('_', ' ');
  return spaced.charAt(0).toUpperCase() + spaced.slice(1);
}

/** "1 customer", "3 customers". */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
}
