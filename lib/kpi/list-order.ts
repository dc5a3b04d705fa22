// The columns a list (unit table) is sorted by, read from its own final ORDER BY: a list orders
// its own rows (the engine adds no order), so that clause is where it says which columns give a
// row its place (bucket_order 1..7, month_index 0..12) rather than a count.

import { lexSql, type Token } from '../data/sql-lexer.ts';

const sortColumnsOf = new Map<string, Set<string>>();

/**
 * The plain columns of the query's outermost ORDER BY sorted ascending, period_start aside:
 * `ORDER BY period_start, bucket_order` → bucket_order. A column ranked DESC ("most tickets
 * first") is a measure, and an expression is not a column, so neither is taken.
 */
export function sortColumns(sql: string): Set<string> {
  let found = sortColumnsOf.get(sql);
  if (!found) {
    const tokens = lexSql(sql).statements.at(-1)?.tokens ?? [];
    const items = splitItems(tokens.slice(outerOrderBy(tokens)));
    found = new Set(
      items.flatMap((item) => {
        const name = ascendingColumn(item);
        return name && name !== 'period_start' ? [name] : [];
      }),
    );
    if (sortColumnsOf.size > 1000) sortColumnsOf.clear();
    sortColumnsOf.set(sql, found);
  }
  return found;
}

/** The index just after the last ORDER BY outside parentheses (the tokens' length when none). */
function outerOrderBy(tokens: readonly Token[]): number {
  let depth = 0;
  let after = tokens.length;
  for (let i = 0; i + 1 < tokens.length; i++) {
    const text = tokens[i]?.text;
    if (tokens[i]?.kind === 'symbol') depth += text === '(' ? 1 : text === ')' ? -1 : 0;
    else if (depth === 0 && isWord(tokens[i], 'order') && isWord(tokens[i + 1], 'by')) after = i + 2;
  }
  return after;
}

// The ORDER BY items up to the clause's end (LIMIT, OFFSET or the end of the query).
function splitItems(tokens: readonly Token[]): Token[][] {
  const items: Token[][] = [[]];
  let depth = 0;
  for (const token of tokens) {
    if (depth === 0 && (isWord(token, 'limit') || isWord(token, 'offset'))) break;
    if (token.kind === 'symbol') depth += token.text === '(' ? 1 : token.text === ')' ? -1 : 0;
    if (depth === 0 && token.kind === 'symbol' && token.text === ',') items.push([]);
    else items.at(-1)?.push(token);
  }
  return items;
}

/** `x.month_index`, `bucket_order ASC NULLS LAST` → the column's name; anything else undefined. */
function ascendingColumn(item: readonly Token[]): string | undefined {
  let rest = [...item];
  if (rest.length >= 3 && rest[1]?.text === '.') rest = rest.slice(2);
  const [name, ...tail] = rest;
  if (!name || (name.kind !== 'word' && name.kind !== 'identifier') || /^\d/.test(name.text))
    return undefined;
  const words = tail.map((t) => t.text.toLowerCase()).join(' ');
  return /^(asc)?\s*(nulls (first|last))?$/.test(words) ? name.text.toLowerCase() : undefined;
}

function isWord(token: Token | undefined, word: string): boolean {
  return token?.kind === 'word' && token.text.toLowerCase() === word;
}
