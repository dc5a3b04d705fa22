import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Database } from '../../lib/data/database.ts';
import { spacesOnly } from '../../lib/data/validate.ts';

// The checks call a text value blank with ltrim(x) = '' (cheaper); it must be exactly
// trim(x) = '', the rule the contract was written with, whatever spaces an export holds.
describe('a blank text value', () => {
  let db: Database;
  beforeAll(async () => {
    db = await Database.open();
  });
  afterAll(() => db.close());

  it('is what trim(x) = the empty text says, on 100,000 generated values of spaces, tabs and letters', async () => {
    // Every code point trim() removes, others that look blank but are not, and letters.
    const alphabet = [
      0x20, 0xa0, 0x1680, 0x2000, 0x2005, 0x200a, 0x202f, 0x205f, 0x3000, 0x09, 0x0a, 0x0d, 0x0b, 0x200b,
      0xfeff, 0x85, 0x41, 0x7a, 0x30, 0xe9, 0x4e2d,
    ];
    const [row] = await db.rows(
      `WITH t AS (
         SELECT (SELECT string_agg(chr([${alphabet.join(', ')}][1 + (hash(i, j) % ${alphabet.length})::INTEGER]), '')
                 FROM range((hash(i) % 6)::BIGINT) s(j)) AS x
         FROM range(100000) r(i)
         UNION ALL SELECT '' UNION ALL SELECT NULL)
       SELECT count(*)::INTEGER AS n,
              count(*) FILTER (coalesce(x, '') = '' OR trim(x) = '')::INTEGER AS blank,
              count(*) FILTER ((trim(x) = '') IS DISTINCT FROM (${spacesOnly('x')}))::INTEGER AS differ
       FROM t`,
    );
    expect(row?.n).toBe(100002);
    // The generated values hold blank ones and others, so the comparison means something.
    expect(row?.blank).toBeGreaterThan(20000);
    expect(row?.blank).toBeLessThan(90000);
    expect(row?.differ).toBe(0);
  });
});
